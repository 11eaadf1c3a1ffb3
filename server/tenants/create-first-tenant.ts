import type { TDatabase } from "@/server/db/client";
import { hashPassword } from "@/server/auth/password";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { ConflictError, ValidationError } from "@/server/errors";
import { checkPasswordStrength } from "@/server/auth/password-policy";
import { PASSWORD_MIN_LENGTH } from "@/server/validation/password";
import { consumeSetupCode, verifySetupCode } from "@/server/tenants/setup-code";
import { creationChanges, recordAuditEvent } from "@/server/audit/record-audit-event";
import type { TClientInfo } from "@/server/shared/actor";
import { composeFullName } from "@/server/members/full-name";
import { normaliseMobile } from "@/server/validation/phone";
import { ZCreateFirstTenant, type TCreateFirstTenantInput } from "@/server/tenants/schemas";

// Serialises concurrent first-run submissions: exactly one of them creates the tenant.
const FIRST_RUN_LOCK_KEY = 7_340_001;
const ALREADY_SET_UP = "Tenure is already set up: sign in instead";

export async function isSetupNeeded(db: TDatabase): Promise<boolean> {
  return (await db.tenant.findFirst({ select: { id: true } })) === null;
}

/**
 * First run only: creates the first organisation and its owner, for whoever
 * holds the setup code from the server log. The owner's password meets the
 * same policy as every other (the default policy: no organisation has its own yet).
 */
export async function createFirstTenant(db: TDatabase, rawInput: TCreateFirstTenantInput, client: TClientInfo = {}) {
  const input = ZCreateFirstTenant.parse(rawInput);
  if (!(await isSetupNeeded(db))) throw new ConflictError(ALREADY_SET_UP);
  await verifySetupCode(db, input.setupCode);
  const problems = await checkPasswordStrength(input.password, {
    minLength: PASSWORD_MIN_LENGTH,
    personal: [input.firstName, input.lastName, input.username, input.email, input.organisationName, input.organisationSlug],
  });
  if (problems.length > 0) throw new ValidationError(problems[0]!, { password: problems });
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_RUN_LOCK_KEY})`;
    if (await tx.tenant.findFirst({ select: { id: true } })) {
      throw new ConflictError(ALREADY_SET_UP);
    }
    await consumeSetupCode(tx);
    const tenant = await tx.tenant.create({
      data: { slug: input.organisationSlug, name: input.organisationName },
      select: { id: true, slug: true, name: true },
    });
    const phone = normaliseMobile(input.mobile, input.country)!;
    const values = {
      firstName: input.firstName,
      lastName: input.lastName,
      fullName: composeFullName(input.firstName, input.lastName, "first_last"),
      username: input.username,
      email: input.email,
      mobile: phone.mobile,
      itc: phone.itc,
      country: phone.country,
      sysAdmin: SYSTEM_ROLE.owner,
    };
    const owner = await tx.user.create({
      data: { ...values, tenantId: tenant.id, passwordHash, passwordChangedAt: new Date() },
      select: { id: true, username: true },
    });
    const actor = { tenantId: tenant.id, memberId: owner.id, ...client };
    await recordAuditEvent(tx, actor, { action: "tenant.created", targetType: "tenant", targetId: tenant.id, changes: creationChanges({ slug: tenant.slug, name: tenant.name }) });
    await recordAuditEvent(tx, actor, { action: "member.created", targetType: "member", targetId: owner.id, changes: creationChanges(values) });
    return { tenant, owner };
  });
}
