import type { TDatabase } from "@/server/db/client";
import { enqueueImportApply } from "@/server/imports/queue-import";
import { INTERRUPTED_VALIDATION_AFTER_MINUTES, STAGED_ROWS_RETENTION_DAYS, STALLED_AFTER_MINUTES } from "@/server/imports/limits";

/**
 * Imports whose worker died mid-way (graphile-worker leaves a crashed
 * worker's job locked for hours) get a fresh job. Each batch moves
 * updated_at, so "no progress for minutes" means no worker. A second job
 * beside a slow live one is harmless: batches lock the import and read the
 * checkpoint afresh.
 */
export async function resumeStalledImports(db: TDatabase): Promise<number> {
  return db.$transaction(async (tx) => {
    const stalled = await tx.$queryRaw<{ id: bigint }[]>`
      UPDATE member_imports SET updated_at = now()
      WHERE status IN ('queued', 'applying') AND updated_at < now() - make_interval(mins => ${STALLED_AFTER_MINUTES})
      RETURNING id`;
    for (const { id } of stalled) await enqueueImportApply(tx, id);
    return stalled.length;
  });
}

/**
 * Staged rows are personal data kept only for the report: they are deleted
 * some days after an import ends. A dry run nobody applied in that time is
 * cancelled; one that stopped hearing from its upload is marked failed.
 */
export async function purgeImportStaging(db: TDatabase): Promise<{ interrupted: number; abandoned: number; purged: number }> {
  const interrupted = await db.$executeRaw`
    UPDATE member_imports SET status = 'failed_validation', failure_message = 'The upload was interrupted before the whole file was read',
           finished_at = now(), updated_at = now()
    WHERE status = 'validating' AND updated_at < now() - make_interval(mins => ${INTERRUPTED_VALIDATION_AFTER_MINUTES})`;
  const abandoned = await db.$executeRaw`
    UPDATE member_imports SET status = 'cancelled', finished_at = now()
    WHERE status = 'validated' AND updated_at < now() - make_interval(days => ${STAGED_ROWS_RETENTION_DAYS})`;
  const due = await db.$queryRaw<{ id: bigint }[]>`
    SELECT id FROM member_imports
    WHERE status IN ('completed', 'failed', 'failed_validation', 'cancelled') AND rows_purged_at IS NULL
      AND (updated_at < now() - make_interval(days => ${STAGED_ROWS_RETENTION_DAYS}) OR status = 'failed_validation')`;
  // One import per transaction: a large one does not hold the others up.
  for (const { id } of due) {
    await db.$transaction([
      db.memberImportRow.deleteMany({ where: { importId: id } }),
      db.memberImportError.deleteMany({ where: { importId: id } }),
      db.memberImport.update({ where: { id }, data: { rowsPurgedAt: new Date() } }),
    ]);
  }
  return { interrupted, abandoned, purged: due.length };
}
