import { signedOutMessage } from "@/server/auth/sign-in-notices";
import { isTenantAdmin } from "@/server/shared/roles";
import { MAX_IMPORT_BYTES } from "@/server/imports/limits";
import { stageImport } from "@/server/imports/stage-import";
import { MAPPING_HEADER, readMappingHeader } from "@/server/imports/mapping-header";
import { createContextFromHeaders } from "@/server/trpc/context";
import { answeringGenericErrors } from "@/server/unexpected-error";

export const dynamic = "force-dynamic";

async function* chunksOf(body: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = body.getReader();
  try {
    for (let next = await reader.read(); !next.done; next = await reader.read()) yield next.value;
  } finally {
    reader.releaseLock();
  }
}

/**
 * POST /api/imports?fileName=members.csv with the file as the body (CSV, a
 * JSON array or NDJSON): the dry run. The body is read as a stream while rows
 * are checked and staged, never held whole; the answer is the import's summary.
 * Another system's export comes with its mapping in the X-Import-Mapping header
 * (JSON, URI-encoded), checked with the mapping step's own schema.
 */
async function answerUpload(request: Request) {
  const context = await createContextFromHeaders(request.headers);
  if (!context.session) return Response.json({ error: signedOutMessage(context.signedOutReason) }, { status: 401 });
  if (!isTenantAdmin(context.session.member.sysAdmin)) return Response.json({ error: "Only administrators may import members" }, { status: 403 });
  const declaredBytes = Number(request.headers.get("content-length") ?? "0");
  if (declaredBytes > MAX_IMPORT_BYTES) {
    return Response.json({ error: `The file is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB: split it into smaller files` }, { status: 413 });
  }
  if (!request.body) return Response.json({ error: "Send the file as the request body" }, { status: 400 });
  const mapping = readMappingHeader(request.headers.get(MAPPING_HEADER));
  if ("error" in mapping) return Response.json({ error: mapping.error }, { status: 400 });

  const { tenant, member } = context.session;
  const actor = { tenantId: tenant.id, memberId: member.id, sysAdmin: member.sysAdmin, ...context.client };
  const fileName = new URL(request.url).searchParams.get("fileName") ?? "upload"; // made printable by stageImport
  const summary = await stageImport(context.db, actor, { fileName, body: chunksOf(request.body), mapping: mapping.mapping });
  return Response.json(summary, { status: summary.status === "failed_validation" ? 422 : 200 });
}

export const POST = answeringGenericErrors("POST /api/imports", answerUpload);
