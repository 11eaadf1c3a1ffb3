import { answerScimRequest } from "@/server/scim/handle-scim-request";

export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ path?: string[] }> };

/** /scim/v2/* — Tenure's SCIM 2.0 server (server/scim), authenticated by an API token with the scim scope. */
async function answer(request: Request, context: TContext): Promise<Response> {
  const { path = [] } = await context.params;
  return answerScimRequest(request, path);
}

export const GET = answer;
export const POST = answer;
export const PUT = answer;
export const PATCH = answer;
export const DELETE = answer;
