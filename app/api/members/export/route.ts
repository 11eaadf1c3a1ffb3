import { signedOutMessage } from "@/server/auth/sign-in-notices";
import { isTenantAdmin } from "@/server/shared/roles";
import { exportStream, recordExport, ZMemberExportQuery } from "@/server/members/export-members";
import { createContextFromHeaders } from "@/server/trpc/context";
import { answeringGenericErrors } from "@/server/unexpected-error";

export const dynamic = "force-dynamic";

/** GET /api/members/export?format=csv|json&q=…&department=…&status=…&role=…&source=… — the current filter, streamed. */
async function answerExport(request: Request) {
  const context = await createContextFromHeaders(request.headers);
  if (!context.session) return Response.json({ error: signedOutMessage(context.signedOutReason) }, { status: 401 });
  if (!isTenantAdmin(context.session.member.sysAdmin)) return Response.json({ error: "Only administrators may export members" }, { status: 403 });
  const parsed = ZMemberExportQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return Response.json({ error: "Invalid export filter", issues: parsed.error.issues }, { status: 400 });

  const { tenant, member } = context.session;
  await recordExport(context.db, { tenantId: tenant.id, memberId: member.id, ...context.client }, parsed.data);
  const date = new Date().toISOString().slice(0, 10);
  return new Response(exportStream(context.db, tenant.id, parsed.data), {
    headers: {
      "content-type": parsed.data.format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="members-${tenant.slug}-${date}.${parsed.data.format}"`,
      "cache-control": "no-store",
    },
  });
}

export const GET = answeringGenericErrors("GET /api/members/export", answerExport);
