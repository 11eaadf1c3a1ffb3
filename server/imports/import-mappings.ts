import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { ConflictError, NotFoundError, violatedUniqueIndex } from "@/server/errors";
import { headerFingerprint } from "@/server/imports/mapping-presets";
import { ZImportMapping, ZImportMappingRef, ZSaveImportMapping, type TImportMapping, type TSaveImportMappingInput } from "@/server/imports/mapping-schemas";
import type { TActor } from "@/server/shared/actor";
import type { z } from "zod";

// An organisation's saved mappings: named, proposed again for a file with the
// same columns. Saving a name that exists replaces that mapping (the admin
// corrected it); both saving and deleting are audited as organisation settings.

export const MAX_SAVED_MAPPINGS = 50;

const summaryOf = (row: { id: bigint; name: string; mapping: unknown; columns: unknown; updatedAt: Date }) => ({
  id: row.id.toString(),
  name: row.name,
  // Stored through ZImportMapping; parsed again so a reader never trusts the column's shape.
  mapping: ZImportMapping.parse(row.mapping),
  columns: row.columns as string[],
  updatedAt: row.updatedAt,
});
export type TSavedMapping = ReturnType<typeof summaryOf>;

const SELECT = { id: true, name: true, mapping: true, columns: true, updatedAt: true } as const;

export async function listImportMappings(db: TDatabase, tenantId: bigint): Promise<TSavedMapping[]> {
  const rows = await db.importMapping.findMany({ where: { tenantId }, orderBy: { name: "asc" }, take: MAX_SAVED_MAPPINGS, select: SELECT });
  return rows.map(summaryOf);
}

/** The newest saved mapping made for these columns, or null. */
export async function savedMappingFor(db: TDatabase, tenantId: bigint, columns: readonly string[]): Promise<TSavedMapping | null> {
  const row = await db.importMapping.findFirst({
    where: { tenantId, headerFingerprint: headerFingerprint(columns) },
    orderBy: { updatedAt: "desc" },
    select: SELECT,
  });
  return row ? summaryOf(row) : null;
}

const auditShape = (name: string, mapping: TImportMapping) => ({ name, sourceName: mapping.sourceName, entries: mapping.entries.length });

export async function saveImportMapping(db: TDatabase, actor: TActor & { memberId: bigint }, rawInput: TSaveImportMappingInput): Promise<TSavedMapping> {
  const input = ZSaveImportMapping.parse(rawInput);
  const fingerprint = headerFingerprint(input.columns);
  try {
    return await db.$transaction(async (tx) => {
      // One save per organisation at a time: parallel saves of new names would otherwise all pass the cap's count.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`import-mappings:${actor.tenantId}`}, 0))`;
      const existing = await tx.importMapping.findUnique({ where: { tenantId_name: { tenantId: actor.tenantId, name: input.name } }, select: { id: true, mapping: true } });
      if (!existing && (await tx.importMapping.count({ where: { tenantId: actor.tenantId } })) >= MAX_SAVED_MAPPINGS) {
        throw new ConflictError(`At most ${MAX_SAVED_MAPPINGS} saved mappings: delete one you no longer use`, { name: ["Too many saved mappings"] });
      }
      const data = { mapping: input.mapping, columns: input.columns, headerFingerprint: fingerprint, updatedAt: new Date() };
      const saved = existing
        ? await tx.importMapping.update({ where: { id: existing.id }, data, select: SELECT })
        : await tx.importMapping.create({ data: { ...data, tenantId: actor.tenantId, name: input.name, createdBy: actor.memberId }, select: SELECT });
      const before = existing ? auditShape(input.name, ZImportMapping.parse(existing.mapping)) : null;
      await recordAuditEvent(tx, actor, {
        action: "members.import_mapping_saved",
        targetType: "tenant",
        targetId: actor.tenantId,
        changes: { importMapping: { before, after: auditShape(input.name, input.mapping) } },
      });
      return summaryOf(saved);
    });
  } catch (error) {
    // Two admins saving the same new name at once: one wins, the other is told.
    if (violatedUniqueIndex(error) === "import_mappings_tenant_name_key") throw new ConflictError("A mapping of this name was just saved: save again to replace it", { name: ["Saved meanwhile"] });
    throw error;
  }
}

export async function deleteImportMapping(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZImportMappingRef>): Promise<void> {
  const mappingId = BigInt(ZImportMappingRef.parse(rawInput).mappingId);
  await db.$transaction(async (tx) => {
    // Scoped by tenant: another organisation's id is simply not found.
    const [deleted] = await tx.$queryRaw<{ name: string; mapping: unknown }[]>`
      DELETE FROM import_mappings WHERE id = ${mappingId} AND tenant_id = ${actor.tenantId} RETURNING name, mapping`;
    if (!deleted) throw new NotFoundError("Mapping not found");
    await recordAuditEvent(tx, actor, {
      action: "members.import_mapping_deleted",
      targetType: "tenant",
      targetId: actor.tenantId,
      changes: { importMapping: { before: auditShape(deleted.name, ZImportMapping.parse(deleted.mapping)), after: null } },
    });
  });
}
