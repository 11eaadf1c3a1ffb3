import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { InvalidTransitionError, NotFoundError } from "@/server/errors";
import { ZDisableFromSourceInput, ZImportMapping } from "@/server/imports/mapping-schemas";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { MAX_BULK_MEMBERS } from "@/server/lifecycle/schemas";
import type { TStepUpSession } from "@/server/auth/step-up";
import type { z } from "zod";

// After a migration import: the members whose account the source system had
// disabled (a mapped status column said so) are disabled here too, through
// the lifecycle like any disable (receipts, sessions ended, applications
// told), never by writing a status. Offered by the report; the admin decides.

const DISABLEABLE = ["pending", "active", "locked"];

async function membersDisabledInSource(db: TDatabaseOrTransaction, tenantId: bigint, importId: bigint): Promise<bigint[]> {
  const rows = await db.$queryRaw<{ id: bigint }[]>`
    SELECT u.id FROM member_import_rows r
    JOIN users u ON u.id = r.member_id AND u.tenant_id = ${tenantId}
    WHERE r.import_id = ${importId} AND r.values @> '{"disabledInSource": true}'::jsonb
      AND u.state = ANY(${DISABLEABLE}::text[]) AND u.deleted_at IS NULL
    ORDER BY u.id`;
  return rows.map((row) => row.id);
}

/** The report's offer: how many members of an applied migration import its source had disabled and are not disabled yet. */
export async function disabledInSourceOffer(db: TDatabase, tenantId: bigint, importId: bigint, status: string, mapping: unknown) {
  if (status !== "completed" || mapping === null) return null;
  const parsed = ZImportMapping.safeParse(mapping);
  if (!parsed.success || !parsed.data.entries.some((entry) => entry.target === "sourceStatus")) return null;
  const [row] = await db.$queryRaw<{ count: number }[]>`
    SELECT count(*)::int AS count FROM member_import_rows r
    JOIN users u ON u.id = r.member_id AND u.tenant_id = ${tenantId}
    WHERE r.import_id = ${importId} AND r.values @> '{"disabledInSource": true}'::jsonb
      AND u.state = ANY(${DISABLEABLE}::text[]) AND u.deleted_at IS NULL`;
  return { sourceName: parsed.data.sourceName, count: row?.count ?? 0 };
}

export async function disableMembersDisabledInSource(
  db: TDatabase,
  actor: TLifecycleActor & TStepUpSession,
  rawInput: z.input<typeof ZDisableFromSourceInput>,
): Promise<{ disabled: number; refused: { username: string | null; message: string }[] }> {
  const importId = BigInt(ZDisableFromSourceInput.parse(rawInput).importId);
  const found = await db.memberImport.findFirst({ where: { id: importId, tenantId: actor.tenantId }, select: { status: true, mapping: true, fileName: true } });
  if (!found) throw new NotFoundError("Import not found");
  const mapping = ZImportMapping.safeParse(found.mapping);
  if (found.status !== "completed" || !mapping.success) throw new InvalidTransitionError("Only an applied import of another system's export disables the members that system had disabled");
  const memberIds = await membersDisabledInSource(db, actor.tenantId, importId);
  const reason = `Disabled in ${mapping.data.sourceName} (imported from ${found.fileName})`.slice(0, 200);
  let disabled = 0;
  const refused: { username: string | null; message: string }[] = [];
  for (let start = 0; start < memberIds.length; start += MAX_BULK_MEMBERS) {
    const batch = memberIds.slice(start, start + MAX_BULK_MEMBERS).map(String);
    // A member the action does not apply to (disabled meanwhile by a parallel click, an owner) is a refusal, not the end:
    // in bulk the lifecycle reports it, for a single member it throws.
    try {
      const outcome = await runLifecycleAction(db, actor, { action: "disable", memberIds: batch, reason });
      disabled += outcome.changed.length;
      refused.push(...outcome.refused.map((refusal) => ({ username: refusal.username, message: refusal.message })));
    } catch (error) {
      if (!(error instanceof InvalidTransitionError) || batch.length !== 1) throw error;
      refused.push({ username: null, message: error.message });
    }
  }
  return { disabled, refused };
}
