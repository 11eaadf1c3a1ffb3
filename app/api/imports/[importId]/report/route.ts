import { signedOutMessage } from "@/server/auth/sign-in-notices";
import { isTenantAdmin } from "@/server/shared/roles";
import { NotFoundError } from "@/server/errors";
import { ZEntityId } from "@/server/ids";
import { findReport, reportStream } from "@/server/imports/import-report";
import { createContextFromHeaders } from "@/server/trpc/context";
import { answeringGenericErrors } from "@/server/unexpected-error";

export const dynamic = "force-dynamic";

const ZReportImportId = ZEntityId("Unknown import");

/** GET /api/imports/:importId/report[?errors=only] — every row's outcome (or only the rows in error) as CSV, streamed. */
async function answerReport(request: Request, { params }: { params: Promise<{ importId: string }> }) {
  const context = await createContextFromHeaders(request.headers);
  if (!context.session) return Response.json({ error: signedOutMessage(context.signedOutReason) }, { status: 401 });
  if (!isTenantAdmin(context.session.member.sysAdmin)) return Response.json({ error: "Only administrators may read import reports" }, { status: 403 });
  const parsed = ZReportImportId.safeParse((await params).importId);
  if (!parsed.success) return Response.json({ error: "Import not found" }, { status: 404 });

  const importId = BigInt(parsed.data);
  const errorsOnly = new URL(request.url).searchParams.get("errors") === "only";
  try {
    const report = await findReport(context.db, context.session.tenant.id, importId);
    const name = `${report.fileName.replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_")}-${errorsOnly ? "errors" : "report"}.csv`;
    return new Response(reportStream(context.db, importId, report.status, errorsOnly), {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="${name}"`,
        "cache-control": "no-store",
      },
    });
  } catch (error) {
    if (error instanceof NotFoundError) return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}

export const GET = answeringGenericErrors("GET /api/imports/:importId/report", answerReport);
