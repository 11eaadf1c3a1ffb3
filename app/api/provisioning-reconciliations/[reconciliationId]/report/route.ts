import { signedOutMessage } from "@/server/auth/sign-in-notices";
import { isTenantAdmin } from "@/server/shared/roles";
import { NotFoundError } from "@/server/errors";
import { ZEntityId } from "@/server/ids";
import { findReconciliation, reconciliationReportStream } from "@/server/provisioning/reconciliations";
import { createContextFromHeaders } from "@/server/trpc/context";
import { answeringGenericErrors } from "@/server/unexpected-error";

export const dynamic = "force-dynamic";

const ZReconciliationId = ZEntityId("Unknown reconciliation");

/** GET /api/provisioning-reconciliations/:id/report — every drift a SCIM reconciliation found, and what was done, as CSV, streamed. */
async function answerReport(request: Request, { params }: { params: Promise<{ reconciliationId: string }> }) {
  const context = await createContextFromHeaders(request.headers);
  if (!context.session) return Response.json({ error: signedOutMessage(context.signedOutReason) }, { status: 401 });
  if (!isTenantAdmin(context.session.member.sysAdmin)) return Response.json({ error: "Only administrators may read reconciliation reports" }, { status: 403 });
  const parsed = ZReconciliationId.safeParse((await params).reconciliationId);
  if (!parsed.success) return Response.json({ error: "Reconciliation not found" }, { status: 404 });
  try {
    const run = await findReconciliation(context.db, context.session.tenant.id, BigInt(parsed.data));
    return new Response(reconciliationReportStream(context.db, run.id), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="scim-reconciliation-${run.id}.csv"`, "cache-control": "no-store" },
    });
  } catch (error) {
    if (error instanceof NotFoundError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}

export const GET = answeringGenericErrors("GET /api/provisioning-reconciliations/:reconciliationId/report", answerReport);
