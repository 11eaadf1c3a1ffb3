import type { TDatabase } from "@/server/db/client";
import { hashPassword } from "@/server/auth/password";
import { SYSTEM_ROLE } from "@/server/auth/roles";
import { ConflictError } from "@/server/errors";
import { ZCreateFirstTenant, type TCreateFirstTenantInput } from "@/server/tenants/schemas";

// Serialises concurrent first-run submissions: exactly one of them creates the tenant.
const FIRST_RUN_LOCK_KEY = 7_340_001;

export async function isSetupNeeded(db: TDatabase): Promise<boolean> {
  return (await db.tenant.findFirst({ select: { id: true } })) === null;
}

/** First run only: creates the first organisation and its owner. */
export async function createFirstTenant(db: TDatabase, rawInput: TCreateFirstTenantInput) {
  const input = ZCreateFirstTenant.parse(rawInput);
  const passwordHash = await hashPassword(input.password);
  return db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${FIRST_RUN_LOCK_KEY})`;
    if (await tx.tenant.findFirst({ select: { id: true } })) {
      throw new ConflictError("Tenure is already set up: sign in instead");
    }
    const tenant = await tx.tenant.create({
      data: { slug: input.organisationSlug, name: input.organisationName },
      select: { id: true, slug: true, name: true },
    });
    const owner = await tx.user.create({
      data: {
        tenantId: tenant.id,
        username: input.username,
        email: input.email,
        fullName: input.fullName,
        passwordHash,
        sysAdmin: SYSTEM_ROLE.owner,
      },
      select: { id: true, username: true },
    });
    return { tenant, owner };
  });
}
