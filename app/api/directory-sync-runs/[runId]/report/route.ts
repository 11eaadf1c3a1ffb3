import { signedOutMessage } from "@/server/auth/sign-in-notices";
import { isTenantAdmin } from "@/server/shared/roles";
import { NotFoundError } from "@/server/errors";
import { ZEntityId } from "@/server/ids";
import { findSyncReport, syncReportStream } from "@/server/directories/sync-report";
import { createContextFromHeaders } from "@/server/trpc/context";
import { answeringGenericErrors } from "@/server/unexpected-error";

export const dynamic = "force-dynamic";

const ZReportRunId = ZEntityId("Unknown sync run");

/** GET /api/directory-sync-runs/:runId/report[?errors=only] — every entry's action and errors as CSV, streamed. */
async function answerReport(request: Request, { params }: { params: Promise<{ runId: string }> }) {
  const context = await createContextFromHeaders(request.headers);
  if (!context.session) return Response.json({ error: signedOutMessage(context.signedOutReason) }, { status: 401 });
  if (!isTenantAdmin(context.session.member.sysAdmin)) return Response.json({ error: "Only administrators may read sync reports" }, { status: 403 });
  const parsed = ZReportRunId.safeParse((await params).runId);
  if (!parsed.success) return Response.json({ error: "Sync run not found" }, { status: 404 });
  const runId = BigInt(parsed.data);
  const errorsOnly = new URL(request.url).searchParams.get("errors") === "only";
  try {
    const report = await findSyncReport(context.db, context.session.tenant.id, runId);
    const name = `${report.directoryName.replace(/[^\w.-]+/g, "_")}-sync-${runId}${errorsOnly ? "-errors" : ""}.csv`;
    return new Response(syncReportStream(context.db, runId, errorsOnly), {
      headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
    });
  } catch (error) {
    if (error instanceof NotFoundError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}

export const GET = answeringGenericErrors("GET /api/directory-sync-runs/:runId/report", answerReport);
