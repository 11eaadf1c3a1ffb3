import type { TDatabase } from "@/server/db/client";
import { ConflictError, NotFoundError } from "@/server/errors";
import { enqueue } from "@/server/queue/enqueue";
import type { TActor } from "@/server/shared/actor";
import { ZApplicationRef, ZReconciliationRef, ZStartReconciliation } from "@/server/provisioning/schemas";
import { findOwnApplication } from "@/server/provisioning/manage-scim-settings";
import { csvLine } from "@/server/members/csv";
import type { z } from "zod";

// Reconciliation runs: requested by an admin (a dry run, or a fixing run once
// provisioning is approved) or by the daily schedule; one at a time per application.

const REPORT_LINES = 500;

export async function startReconciliation(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZStartReconciliation>): Promise<{ reconciliationId: string }> {
  const input = ZStartReconciliation.parse(rawInput);
  const application = await findOwnApplication(db, actor.tenantId, input.applicationId);
  return db.$transaction(async (tx) => {
    const settings = await tx.applicationScimSettings.findUnique({ where: { applicationId: application.id } });
    if (!settings) throw new NotFoundError("Connect the application's SCIM endpoint first");
    // Serialises requests for one application: a second click while a run is open gets that run.
    await tx.$executeRaw`SELECT 1 FROM application_scim_settings WHERE application_id = ${application.id} FOR UPDATE`;
    const open = await tx.provisioningReconciliation.findFirst({ where: { applicationId: application.id, status: { in: ["queued", "running"] } }, select: { id: true } });
    if (open) throw new ConflictError("A reconciliation of this application is already running");
    const run = await tx.provisioningReconciliation.create({
      data: { tenantId: actor.tenantId, applicationId: application.id, dryRun: input.dryRun || !settings.enabled, requestedBy: actor.memberId },
    });
    await enqueue(tx, "provisioning__reconcile", { reconciliationId: run.id.toString() }, { jobKey: `scim-reconcile:${run.id}` });
    return { reconciliationId: run.id.toString() };
  });
}

export async function listReconciliations(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZApplicationRef>) {
  const application = await findOwnApplication(db, tenantId, ZApplicationRef.parse(rawInput).applicationId);
  const runs = await db.provisioningReconciliation.findMany({ where: { applicationId: application.id, tenantId }, orderBy: { id: "desc" }, take: 20 });
  return runs.map((run) => ({
    id: run.id.toString(), dryRun: run.dryRun, status: run.status, accountsRead: run.accountsRead, findings: run.findings as Record<string, number>,
    error: run.error, createdAt: run.createdAt, finishedAt: run.finishedAt,
  }));
}

/** A run's report (its first lines; the download has them all). */
export async function getReconciliationReport(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZReconciliationRef>) {
  const input = ZReconciliationRef.parse(rawInput);
  const application = await findOwnApplication(db, tenantId, input.applicationId);
  const run = await db.provisioningReconciliation.findFirst({ where: { id: BigInt(input.reconciliationId), applicationId: application.id, tenantId } });
  if (!run) throw new NotFoundError("Unknown reconciliation");
  const items = await db.provisioningReconciliationItem.findMany({ where: { reconciliationId: run.id }, orderBy: { id: "asc" }, take: REPORT_LINES });
  return {
    id: run.id.toString(), status: run.status, dryRun: run.dryRun, accountsRead: run.accountsRead, findings: run.findings as Record<string, number>,
    items: items.map((item) => ({ id: item.id.toString(), finding: item.finding, memberId: item.userId?.toString() ?? null, remoteId: item.remoteId, userName: item.userName, action: item.action })),
  };
}

/** The run, in the organisation (the download checks before it streams). */
export async function findReconciliation(db: TDatabase, tenantId: bigint, reconciliationId: bigint): Promise<{ id: bigint; applicationId: bigint }> {
  const run = await db.provisioningReconciliation.findFirst({ where: { id: reconciliationId, tenantId }, select: { id: true, applicationId: true } });
  if (!run) throw new NotFoundError("Unknown reconciliation");
  return run;
}

/** A run's whole report as a CSV stream. */
export function reconciliationReportStream(db: TDatabase, reconciliationId: bigint): ReadableStream<Uint8Array> {
  const rows = reconciliationReportRows(db, reconciliationId);
  const encoder = new TextEncoder();
  return new ReadableStream({
    async pull(controller) {
      const next = await rows.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(csvLine(next.value)));
    },
    async cancel() {
      await rows.return(undefined);
    },
  });
}

/** Every line of a run's report, a thousand at a time (keyset): the download's memory stays flat. */
async function* reconciliationReportRows(db: TDatabase, reconciliationId: bigint): AsyncGenerator<string[]> {
  const run = { id: reconciliationId };
  yield ["finding", "member_id", "user_name", "remote_id", "action"];
  let after = 0n;
  for (;;) {
    const page = await db.provisioningReconciliationItem.findMany({ where: { reconciliationId: run.id, id: { gt: after } }, orderBy: { id: "asc" }, take: 1000 });
    for (const item of page) yield [item.finding, item.userId?.toString() ?? "", item.userName ?? "", item.remoteId ?? "", item.action];
    if (page.length < 1000) return;
    after = page[page.length - 1]!.id;
  }
}

/** The daily run of every approved application (its crontab job). */
export async function scheduleDueReconciliations(db: TDatabase): Promise<number> {
  const due = await db.applicationScimSettings.findMany({ where: { enabled: true }, select: { applicationId: true, tenantId: true } });
  let started = 0;
  for (const settings of due) {
    try {
      await startReconciliation(db, { tenantId: settings.tenantId, memberId: null }, { applicationId: settings.applicationId.toString(), dryRun: false });
      started += 1;
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
  return started;
}
