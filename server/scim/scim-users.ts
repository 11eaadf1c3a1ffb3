import type { TDatabase, TTransaction } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { creationChanges, recordAuditEvent } from "@/server/audit/record-audit-event";
import { explainMemberConflict } from "@/server/members/member-conflicts";
import { profileValues } from "@/server/members/profile-values";
import { updateMember } from "@/server/members/update-member";
import { lifecycleActionInTransaction, proveLifecycleAction, type TPendingProofs } from "@/server/lifecycle/run-lifecycle-action";
import type { TLifecycleActionInput } from "@/server/lifecycle/schemas";
import { systemRoleName } from "@/server/shared/roles";
import { violatedUniqueIndex } from "@/server/errors";
import { scimServiceActor, type TScimCaller } from "@/server/scim/scim-actor";
import { invalidValue, ScimError, uniqueness } from "@/server/scim/scim-errors";
import { applyPatch } from "@/server/scim/scim-patch";
import { getScimSettings } from "@/server/scim/scim-settings";
import { assignDepartment } from "@/server/scim/scim-departments";
import { canInsertDirectly, insertScimUser } from "@/server/scim/insert-scim-user";
import { userInputFromResource, type TScimUserInput } from "@/server/scim/scim-user-input";
import { ENTERPRISE_SCHEMA, loadUserRow, USER_SCHEMA, userResource, userVersion, type TScimUserRow } from "@/server/scim/scim-user-resource";

// Users: create, replace, patch, delete. Profile writes go through the
// member record's rules (ZMemberCreate, updateMember); active and DELETE go
// through the lifecycle (receipt, sessions ended, applications told);
// everything is attributed to the token.

const reasonOf = (caller: TScimCaller, what: string) => `${what} by SCIM (API token ${caller.name})`.slice(0, 200);

async function resolveManager(tx: TTransaction | TDatabase, tenantId: bigint, managerId: string | null): Promise<bigint | null> {
  if (!managerId) return null;
  const found = /^\d{1,18}$/.test(managerId) ? await tx.user.findFirst({ where: { tenantId, id: BigInt(managerId), deletedAt: null }, select: { id: true } }) : null;
  if (!found) throw invalidValue(`${ENTERPRISE_SCHEMA}:manager: no user ${managerId.slice(0, 40)} in this organisation`);
  return found.id;
}

async function writeIdentity(tx: TTransaction | TDatabase, caller: TScimCaller, memberId: bigint, input: TScimUserInput, managerId: bigint | null) {
  try {
    await tx.$executeRaw`
      INSERT INTO scim_identities (user_id, tenant_id, api_token_id, user_name, external_id, employee_number, manager_id)
      VALUES (${memberId}, ${caller.tenantId}, ${caller.tokenId}, ${input.userName}, ${input.externalId}, ${input.employeeNumber}, ${managerId})
      ON CONFLICT (user_id) DO UPDATE SET api_token_id = EXCLUDED.api_token_id, user_name = EXCLUDED.user_name, external_id = EXCLUDED.external_id,
        employee_number = EXCLUDED.employee_number, manager_id = EXCLUDED.manager_id, updated_at = clock_timestamp()
      WHERE (scim_identities.api_token_id, scim_identities.user_name, scim_identities.external_id, scim_identities.employee_number, scim_identities.manager_id)
        IS DISTINCT FROM (EXCLUDED.api_token_id, EXCLUDED.user_name, EXCLUDED.external_id, EXCLUDED.employee_number, EXCLUDED.manager_id)`;
  } catch (error) {
    if (violatedUniqueIndex(error) === "scim_identities_user_name_key") throw uniqueness(`userName ${input.userName} is already taken`);
    throw error;
  }
}

/** Lifecycle proofs of the request's transaction, run once it has committed. */
type TProofs = TPendingProofs[];

// Long enough for a lifecycle action (it tells applications, ends sessions) and for concurrent requests on one member to queue.
const TRANSACTION_OPTIONS = { timeout: 60_000, maxWait: 20_000 };

/**
 * One SCIM request's writes (profile, identity, department, lifecycle) as
 * one transaction: all or nothing. Lifecycle receipts are proven after the commit.
 */
async function atomically<T>(db: TDatabase, work: (tx: TTransaction, proofs: TProofs) => Promise<T>): Promise<T> {
  const proofs: TProofs = [];
  const result = await db.$transaction((tx) => work(tx, proofs), TRANSACTION_OPTIONS);
  const committedAtMs = performance.timeOrigin + performance.now();
  for (const pending of proofs) await proveLifecycleAction(db, pending, committedAtMs);
  return result;
}

/** Locks the member's row first: concurrent requests on one member run in turn, each seeing the last one's version. */
async function lockUserRow(tx: TTransaction, caller: TScimCaller, id: string): Promise<TScimUserRow> {
  if (/^\d{1,18}$/.test(id)) await tx.$queryRaw`SELECT id FROM users WHERE id = ${BigInt(id)} AND tenant_id = ${caller.tenantId} FOR UPDATE`;
  return loadUserRow(tx, caller.tenantId, id);
}

async function lifecycle(tx: TTransaction, caller: TScimCaller, proofs: TProofs, input: TLifecycleActionInput): Promise<void> {
  const { proofs: pending } = await lifecycleActionInTransaction(tx, scimServiceActor(caller), input);
  proofs.push(pending);
}

async function setActive(tx: TTransaction, caller: TScimCaller, proofs: TProofs, row: Pick<TScimUserRow, "id" | "enabled" | "state">, active: boolean | undefined) {
  if (active === undefined || active === row.enabled) return;
  const memberIds = [row.id.toString()];
  if (!active) await lifecycle(tx, caller, proofs, { action: "disable", memberIds, reason: reasonOf(caller, "Deactivated") });
  else if (row.state === "disabled" || row.state === "resigned") await lifecycle(tx, caller, proofs, { action: "enable", memberIds });
}

/** A unique violation, explained once the transaction has rolled back (the member record's own messages). */
async function explainConflict(db: TDatabase, caller: TScimCaller, input: TScimUserInput | null, error: unknown): Promise<unknown> {
  if (error instanceof ScimError || !input) return error;
  return explainMemberConflict(db, caller.tenantId, profileValues({ ...input.profile, role: "member" }, "first_last"), error);
}

export async function createScimUser(db: TDatabase, caller: TScimCaller, body: unknown) {
  const input = userInputFromResource(body);
  if (canInsertDirectly(input)) {
    const inserted = await insertScimUser(caller, input);
    if (inserted) return userResource(inserted, caller.baseUrl);
  }
  const actor = scimServiceActor(caller);
  try {
    return await atomically(db, async (tx, proofs) => {
      const revived = await reviveDeprovisioned(tx, caller, proofs, input);
      if (revived) return revived;
      const values = profileValues({ ...input.profile, role: "member" }, caller.tenantNameOrder);
      const managerId = await resolveManager(tx, caller.tenantId, input.managerId);
      const member = await tx.user.create({ data: { ...values, tenantId: caller.tenantId, source: "scim" }, select: { id: true } });
      await writeIdentity(tx, caller, member.id, input, managerId);
      await recordAuditEvent(tx, actor, { action: "member.created", targetType: "member", targetId: member.id, changes: creationChanges(values) });
      if (input.department) await assignDepartment(tx, caller, member.id, input.department);
      // A new member is active (and enabled): only active false has anything to do.
      await setActive(tx, caller, proofs, { id: member.id, enabled: true, state: "active" }, input.active);
      return userResource(await loadUserRow(tx, caller.tenantId, member.id.toString()), caller.baseUrl);
    });
  } catch (error) {
    throw await explainConflict(db, caller, input, error);
  }
}

export async function readScimUser(db: TDatabase, caller: TScimCaller, id: string) {
  return userResource(await loadUserRow(db, caller.tenantId, id), caller.baseUrl);
}

export function assertVersion(current: string, ifMatch: string | null): void {
  if (!ifMatch || ifMatch.trim() === "*") return;
  const wanted = ifMatch.split(",").map((tag) => tag.trim());
  if (!wanted.includes(current) && !wanted.includes(current.replace(/^W\//, ""))) {
    throw new ScimError(412, "The resource changed since that version (If-Match does not match its ETag)", null);
  }
}

/** The resource as sent becomes the member: the last step of PUT and PATCH, inside their transaction. */
async function replaceLocked(tx: TTransaction, caller: TScimCaller, proofs: TProofs, row: TScimUserRow, input: TScimUserInput) {
  const { updatedAt } = await tx.user.findUniqueOrThrow({ where: { id: row.id }, select: { updatedAt: true } });
  await updateMember(tx, scimServiceActor(caller), {
    memberId: row.id.toString(),
    expectedLastModifiedDate: updatedAt,
    ...input.profile,
    role: systemRoleName(row.sys_admin),
  });
  const managerId = await resolveManager(tx, caller.tenantId, input.managerId);
  await writeIdentity(tx, caller, row.id, input, managerId);
  if (input.department && input.department.toLowerCase() !== row.department?.toLowerCase()) await assignDepartment(tx, caller, row.id, input.department);
  await setActive(tx, caller, proofs, row, input.active);
  return userResource(await loadUserRow(tx, caller.tenantId, row.id.toString()), caller.baseUrl);
}

export async function replaceScimUser(db: TDatabase, caller: TScimCaller, id: string, body: unknown, ifMatch: string | null) {
  const input = userInputFromResource(body);
  try {
    return await atomically(db, async (tx, proofs) => {
      const row = await lockUserRow(tx, caller, id);
      assertVersion(userVersion(row), ifMatch);
      return replaceLocked(tx, caller, proofs, row, input);
    });
  } catch (error) {
    throw await explainConflict(db, caller, input, error);
  }
}

export async function patchScimUser(db: TDatabase, caller: TScimCaller, id: string, body: unknown, ifMatch: string | null) {
  let input: TScimUserInput | null = null;
  try {
    return await atomically(db, async (tx, proofs) => {
      const row = await lockUserRow(tx, caller, id);
      const current = userResource(row, caller.baseUrl);
      assertVersion(current.meta.version, ifMatch);
      input = userInputFromResource(applyPatch(current, body, [USER_SCHEMA, ENTERPRISE_SCHEMA]));
      return replaceLocked(tx, caller, proofs, row, input);
    });
  } catch (error) {
    throw await explainConflict(db, caller, input, error);
  }
}

/**
 * A POST of a userName the client DELETEd earlier, whose member Tenure kept
 * (disabled or resigned): the same member comes back (profile as sent,
 * enabled through the lifecycle, with a receipt) rather than a 409 or a
 * second record; their history stays one. A member in the recycle bin is not
 * revived: an administrator restores or erases it first.
 */
async function reviveDeprovisioned(tx: TTransaction, caller: TScimCaller, proofs: TProofs, input: TScimUserInput) {
  const [gone] = await tx.$queryRaw<{ user_id: bigint }[]>`
    SELECT s.user_id FROM scim_identities s JOIN users u ON u.id = s.user_id
    WHERE s.tenant_id = ${caller.tenantId} AND s.user_name = ${input.userName} AND s.deprovisioned_at IS NOT NULL
      AND u.deleted_at IS NULL AND u.state <> 'archived'
    FOR UPDATE OF s`;
  if (!gone) return null;
  await tx.$executeRaw`UPDATE scim_identities SET deprovisioned_at = NULL, updated_at = clock_timestamp() WHERE user_id = ${gone.user_id}`;
  const row = await lockUserRow(tx, caller, gone.user_id.toString());
  return replaceLocked(tx, caller, proofs, row, { ...input, active: input.active ?? true });
}

/** DELETE follows the organisation's setting: disable (default), resign, or delete to the recycle bin; then the member is gone for SCIM. */
export async function deleteScimUser(db: TDatabase, caller: TScimCaller, id: string, ifMatch: string | null) {
  await atomically(db, async (tx, proofs) => {
    const row = await lockUserRow(tx, caller, id);
    assertVersion(userVersion(row), ifMatch);
    const { deleteAction } = await getScimSettings(tx, caller.tenantId);
    const memberIds = [row.id.toString()];
    if (deleteAction === "delete") await lifecycle(tx, caller, proofs, { action: "delete", memberIds });
    else if (deleteAction === "resign" && row.state !== "resigned") await lifecycle(tx, caller, proofs, { action: "resign", memberIds, reason: reasonOf(caller, "Deprovisioned") });
    else if (deleteAction === "disable" && row.enabled) await lifecycle(tx, caller, proofs, { action: "disable", memberIds, reason: reasonOf(caller, "Deprovisioned") });
    // Gone for SCIM from now on (RFC 7644 §3.6), whatever the setting kept of the member.
    await tx.$executeRaw`
      INSERT INTO scim_identities (user_id, tenant_id, api_token_id, user_name, deprovisioned_at)
      VALUES (${row.id}, ${caller.tenantId}, ${caller.tokenId}, ${row.scim_user_name ?? row.username}, clock_timestamp())
      ON CONFLICT (user_id) DO UPDATE SET deprovisioned_at = EXCLUDED.deprovisioned_at, updated_at = clock_timestamp()`;
  });
}

export const USER_SORT_COLUMNS: Record<string, Prisma.Sql> = {
  id: Prisma.sql`u.id`,
  username: Prisma.sql`COALESCE(s.user_name, u.username)`,
  displayname: Prisma.sql`u.full_name`,
  "name.givenname": Prisma.sql`u.first_name`,
  "name.familyname": Prisma.sql`u.last_name`,
  "meta.created": Prisma.sql`u.created_at`,
  "meta.lastmodified": Prisma.sql`u.updated_at`,
  externalid: Prisma.sql`s.external_id`,
  emails: Prisma.sql`u.email`,
  title: Prisma.sql`u.title`,
};
