import { X509Certificate } from "node:crypto";
import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent, type TChanges } from "@/server/audit/record-audit-event";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError, violatedUniqueIndex } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { sealBindPassword } from "@/server/directories/load-directory";
import { checkDirectorySettingsOnServer, PASSWORD_AGAIN, PASSWORD_NEEDED, sameBindTarget } from "@/server/directories/check-directory-settings";
import { ZDirectoryId, ZDirectoryInput, ZDirectoryUpdate, type TDirectoryInput, type TDirectoryUpdate, type TDirectoryValues } from "@/server/directories/directory-schemas";
import type { Directory } from "@/server/db/generated/client";
import type { z } from "zod";

// Creating, changing or deleting a directory decides where members come from,
// what happens to leavers and who signs in by an LDAP bind: owners only, after
// a step-up, each change one transaction with its audit event. The bind
// password is sealed (bound to the directory's id) and never written to an
// event: the trail says only that it changed.

export type TDirectoryActor = TActor & TStepUpSession & { sysAdmin: number };

/** Far more than any organisation needs; keeps the settings list one page. */
export const MAX_DIRECTORIES = 50;
const NAME_TAKEN = "Another directory has this name";

async function assertOwner(db: TDatabase, actor: TDirectoryActor): Promise<void> {
  if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only owners may create, change or delete directories");
  await assertStepUp(db, actor, "directories.manage");
}

async function checkDepartmentParent(tx: TTransaction, tenantId: bigint, departmentParentId: string | null): Promise<bigint | null> {
  if (departmentParentId === null) return null;
  const department = await tx.department.findFirst({ where: { id: BigInt(departmentParentId), tenantId, kind: "regular" }, select: { id: true } });
  if (!department) throw new ValidationError("Choose one of this organisation's departments", { departmentParentId: ["Unknown department"] });
  return department.id;
}

/** The row's columns from the form's values (the password apart). */
function columns(values: TDirectoryValues, departmentParentId: bigint | null) {
  return {
    name: values.name,
    preset: values.preset,
    url: values.url,
    startTls: values.startTls,
    caCertificate: values.caCertificate,
    bindDn: values.bindDn,
    baseDn: values.baseDn,
    userFilter: values.userFilter,
    pageSize: values.pageSize,
    syncIntervalMinutes: values.syncIntervalMinutes,
    attributeMapping: values.attributeMapping,
    departmentSource: values.departmentSource,
    departmentAttribute: values.departmentSource === "attribute" ? values.departmentAttribute : null,
    departmentParentId,
    groupBaseDn: values.groupBaseDn,
    groupFilter: values.groupBaseDn ? values.groupFilter : null,
    linkExistingBy: values.linkExistingBy,
    deprovisionAction: values.deprovisionAction,
    reenableReturning: values.reenableReturning,
    safetyStopPercent: values.safetyStopPercent,
    signInByBind: values.signInByBind,
  };
}
type TColumns = ReturnType<typeof columns>;

/** For the trail: the certificate by its fingerprint (a PEM is long and says nothing at a glance), ids as text. */
function auditable(row: Record<keyof TColumns, unknown>): Record<string, unknown> {
  const fingerprint = typeof row.caCertificate === "string" ? safeFingerprint(row.caCertificate) : null;
  return { ...row, caCertificate: fingerprint, departmentParentId: typeof row.departmentParentId === "bigint" ? row.departmentParentId.toString() : null };
}

/** The stored row's values of the same columns, to compare with the new ones. */
function storedColumns(row: Directory, keys: (keyof TColumns)[]): Record<keyof TColumns, unknown> {
  return Object.fromEntries(keys.map((key) => [key, row[key]])) as Record<keyof TColumns, unknown>;
}

function safeFingerprint(pem: string): string {
  try {
    return `SHA-256 ${new X509Certificate(pem).fingerprint256}`;
  } catch {
    return "unreadable";
  }
}

/** JSON with keys sorted: a jsonb column gives its keys back in its own order. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === "object" && !Array.isArray(inner) ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => a.localeCompare(b))) : inner,
  );
}

function changesBetween(before: Record<string, unknown> | null, after: Record<string, unknown>): TChanges {
  const changes: TChanges = {};
  for (const [field, value] of Object.entries(after)) {
    const was = before?.[field] ?? null;
    if (stableJson(was) !== stableJson(value ?? null)) changes[field] = { before: was, after: value ?? null };
  }
  return changes;
}

const PASSWORD_CHANGED = { before: null, after: "changed" } as const;

/** A name another directory holds, as the form's field error (also when two saves race: the unique index decides). */
async function withNameConflict<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (violatedUniqueIndex(error) === "directories_name_key") throw new ConflictError(NAME_TAKEN, { name: [NAME_TAKEN] });
    throw error;
  }
}

/** Changes and deletion of one directory run in turn (an update racing a delete finds it gone, not a missing row). */
async function lockDirectory(tx: TTransaction, tenantId: bigint, directoryId: bigint): Promise<void> {
  await tx.$queryRaw`SELECT id FROM directories WHERE id = ${directoryId} AND tenant_id = ${tenantId} FOR UPDATE`;
}

export async function createDirectory(db: TDatabase, actor: TDirectoryActor, rawInput: TDirectoryInput): Promise<{ id: string }> {
  const input = ZDirectoryInput.parse(rawInput);
  await assertOwner(db, actor);
  checkDirectorySettingsOnServer(input);
  return withNameConflict(() =>
    db.$transaction(async (tx) => {
      // Parallel creates count in turn, so the cap holds.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`directories:${actor.tenantId}`}, 0))`;
      if ((await tx.directory.count({ where: { tenantId: actor.tenantId } })) >= MAX_DIRECTORIES) {
        throw new ConflictError(`An organisation has at most ${MAX_DIRECTORIES} directories`);
      }
      const password = input.bindDn !== "" ? input.bindPassword : undefined;
      if (input.bindDn !== "" && password === undefined) throw new ValidationError(PASSWORD_NEEDED, { bindPassword: [PASSWORD_NEEDED] });
      const values = columns(input, await checkDepartmentParent(tx, actor.tenantId, input.departmentParentId));
      const row = await tx.directory.create({ data: { tenantId: actor.tenantId, ...values, createdBy: actor.memberId }, select: { id: true } });
      // The seal binds the password to the id, which exists only now: same transaction.
      if (password !== undefined) await tx.directory.update({ where: { id: row.id }, data: { bindPasswordSealed: sealBindPassword(row.id, password) } });
      const changes = changesBetween(null, auditable(values));
      if (password !== undefined) changes.bindPassword = PASSWORD_CHANGED;
      await recordAuditEvent(tx, actor, { action: "directory.created", targetType: "directory", targetId: row.id, changes });
      return { id: row.id.toString() };
    }),
  );
}

/** The form started from another version of the settings: someone saved in between, and their save is not overwritten. */
function assertSameSettingsVersion(current: Directory, expected: Date): void {
  if (current.settingsUpdatedAt.getTime() === expected.getTime()) return;
  throw new ConflictError(
    `Someone changed the settings of ${current.name} at ${current.settingsUpdatedAt.toISOString()} after you opened them. Reload to see their changes, then edit again.`,
  );
}

export async function updateDirectory(db: TDatabase, actor: TDirectoryActor, rawInput: TDirectoryUpdate): Promise<{ id: string; settingsUpdatedAt: Date }> {
  const { directoryId, expectedSettingsUpdatedAt, ...input } = ZDirectoryUpdate.parse(rawInput);
  await assertOwner(db, actor);
  checkDirectorySettingsOnServer(input);
  return withNameConflict(() =>
    db.$transaction(async (tx) => {
      await lockDirectory(tx, actor.tenantId, BigInt(directoryId));
      const current = await tx.directory.findFirst({ where: { id: BigInt(directoryId), tenantId: actor.tenantId } });
      if (!current) throw new NotFoundError("No such directory");
      assertSameSettingsVersion(current, expectedSettingsUpdatedAt);
      const values = columns(input, await checkDepartmentParent(tx, actor.tenantId, input.departmentParentId));
      // No bind DN: an anonymous bind, no password to keep. Otherwise an empty password keeps the stored one, for the same target only.
      if (input.bindDn !== "" && input.bindPassword === undefined) {
        if (current.bindPasswordSealed === null) throw new ValidationError(PASSWORD_NEEDED, { bindPassword: [PASSWORD_NEEDED] });
        if (!sameBindTarget(current, input)) throw new ValidationError(PASSWORD_AGAIN, { bindPassword: [PASSWORD_AGAIN] });
      }
      const sealed = input.bindDn === "" ? null : input.bindPassword !== undefined ? sealBindPassword(current.id, input.bindPassword) : current.bindPasswordSealed;
      const changes = changesBetween(auditable(storedColumns(current, Object.keys(values) as (keyof TColumns)[])), auditable(values));
      if (sealed !== current.bindPasswordSealed) changes.bindPassword = sealed === null ? { before: "set", after: null } : PASSWORD_CHANGED;
      // A save that changes nothing keeps the version: another form open on the same settings may still save.
      if (Object.keys(changes).length === 0) return { id: directoryId, settingsUpdatedAt: current.settingsUpdatedAt };
      const { settingsUpdatedAt } = await tx.directory.update({
        where: { id: current.id },
        data: { ...values, bindPasswordSealed: sealed, settingsUpdatedAt: new Date() },
        select: { settingsUpdatedAt: true },
      });
      await recordAuditEvent(tx, actor, { action: "directory.updated", targetType: "directory", targetId: current.id, changes });
      return { id: directoryId, settingsUpdatedAt };
    }),
  );
}

export async function deleteDirectory(db: TDatabase, actor: TDirectoryActor, rawInput: z.input<typeof ZDirectoryId>): Promise<{ detachedMembers: number }> {
  const { directoryId } = ZDirectoryId.parse(rawInput);
  await assertOwner(db, actor);
  return db.$transaction(async (tx) => {
    await lockDirectory(tx, actor.tenantId, BigInt(directoryId));
    const current = await tx.directory.findFirst({ where: { id: BigInt(directoryId), tenantId: actor.tenantId }, select: { id: true, name: true } });
    if (!current) throw new NotFoundError("No such directory");
    // A run at work would lose its directory halfway through applying.
    if ((await tx.directorySyncRun.count({ where: { directoryId: current.id, status: { in: ["queued", "reading", "applying"] } } })) > 0) {
      throw new ConflictError("A sync of this directory is running: wait for it to finish or cancel it, then delete the directory");
    }
    // Its members stay, as local members: nothing manages their fields any more (archived ones too: the trigger allows this).
    const detachedMembers = await tx.$executeRaw`
      UPDATE users SET user_directory_id = NULL, directory_entry_id = NULL, directory_dn = NULL
      WHERE tenant_id = ${actor.tenantId} AND user_directory_id = ${current.id}`;
    await tx.department.updateMany({ where: { tenantId: actor.tenantId, directoryId: current.id }, data: { directoryId: null, directoryKey: null } });
    await tx.group.updateMany({ where: { tenantId: actor.tenantId, directoryId: current.id }, data: { directoryId: null, directoryEntryId: null } });
    await tx.directory.delete({ where: { id: current.id } });
    await recordAuditEvent(tx, actor, {
      action: "directory.deleted",
      targetType: "directory",
      targetId: current.id,
      changes: { name: { before: current.name, after: null }, detachedMembers: { before: detachedMembers, after: 0 } },
    });
    return { detachedMembers };
  });
}
