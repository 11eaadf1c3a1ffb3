import { db, type TDatabase } from "@/server/db/client";
import { appUrl } from "@/server/mail/send-mail";
import { ApiTokenRefusedError, authenticateApiToken } from "@/server/api-tokens/authenticate-api-token";
import { DomainError } from "@/server/errors";
import { clientInfoFromHeaders } from "@/server/http/client-headers";
import { logUnexpectedError } from "@/server/unexpected-error";
import type { TScimCaller } from "@/server/scim/scim-actor";
import { discovery, MAX_BODY_BYTES, serviceProviderConfig } from "@/server/scim/scim-discovery";
import { invalidSyntax, ScimError, scimErrorBody } from "@/server/scim/scim-errors";
import { createScimGroup, deleteScimGroup, listScimGroups, patchScimGroup, readScimGroup, replaceScimGroup } from "@/server/scim/scim-groups";
import { projection } from "@/server/scim/scim-list";
import { listScimUsers } from "@/server/scim/scim-list-users";
import { recordScimRequest } from "@/server/scim/scim-request-log";
import { createScimUser, deleteScimUser, patchScimUser, readScimUser, replaceScimUser } from "@/server/scim/scim-users";

// /scim/v2/* (RFC 7644): authenticate the token (scope "scim"), route,
// answer application/scim+json; every failure in the SCIM error schema; every
// authenticated request noted for the console (no bodies).

export const SCIM_CONTENT_TYPE = "application/scim+json";

type TAnswer = { status: number; body?: unknown; location?: string; etag?: string };

function scimResponse(answer: TAnswer, extraHeaders: Record<string, string> = {}): Response {
  const headers: Record<string, string> = { "cache-control": "no-store", ...extraHeaders };
  if (answer.location) headers.location = answer.location;
  if (answer.etag) headers.etag = answer.etag;
  if (answer.body === undefined) return new Response(null, { status: answer.status, headers });
  headers["content-type"] = `${SCIM_CONTENT_TYPE}; charset=utf-8`;
  return new Response(JSON.stringify(answer.body), { status: answer.status, headers });
}

function errorResponse(error: ScimError): Response {
  const extra: Record<string, string> = error.retryAfterSeconds !== null ? { "retry-after": String(error.retryAfterSeconds) } : {};
  if (error.status === 401) extra["www-authenticate"] = 'Bearer realm="scim"';
  return scimResponse({ status: error.status, body: scimErrorBody(error) }, extra);
}

/** A domain error from a member, lifecycle or access service, as the SCIM error a client understands. */
function asScimError(error: unknown): ScimError | null {
  if (error instanceof ScimError) return error;
  if (error instanceof ApiTokenRefusedError) return new ScimError(error.refusal.status, error.refusal.message, null, error.refusal.status === 429 ? error.refusal.retryAfterSeconds : null);
  if (!(error instanceof DomainError)) return null;
  const [field, messages] = Object.entries(error.fieldErrors)[0] ?? [];
  const detail = field ? `${field}: ${messages?.[0] ?? error.message}` : error.message;
  switch (error.kind) {
    case "conflict":
      return new ScimError(409, detail, "uniqueness");
    case "not_found":
      return new ScimError(404, detail);
    case "forbidden":
    case "unauthorized":
      return new ScimError(403, detail);
    case "invalid_transition":
      return new ScimError(400, detail, "mutability");
    case "validation":
      return new ScimError(400, detail, "invalidValue");
  }
}

async function readBody(request: Request): Promise<unknown> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw new ScimError(413, `A request body may be at most ${MAX_BODY_BYTES / 1024 / 1024} MB`);
  if (!request.body) throw invalidSyntax("This request needs a JSON body");
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader.read(); !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new ScimError(413, `A request body may be at most ${MAX_BODY_BYTES / 1024 / 1024} MB`);
    }
    chunks.push(next.value);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidSyntax("The request body is not valid JSON");
  }
}

type TRoute = { resourceType: string; id: string | null };

function routeOf(segments: string[]): TRoute {
  const [resource = "", id = null, ...rest] = segments.map((segment) => decodeURIComponent(segment));
  if (rest.length > 0) throw new ScimError(404, "No such SCIM endpoint");
  return { resourceType: resource, id };
}

async function dispatch(db: TDatabase, caller: TScimCaller, request: Request, route: TRoute): Promise<TAnswer> {
  const method = request.method.toUpperCase();
  const params = new URL(request.url).searchParams;
  const ifMatch = request.headers.get("if-match");
  const withEtag = (body: { meta: { version: string; location: string } } | Record<string, unknown>, status = 200): TAnswer => {
    const meta = (body as { meta?: { version?: string; location?: string } }).meta;
    return { status, body, etag: meta?.version, location: status === 201 ? meta?.location : undefined };
  };
  const notAllowed = () => new ScimError(405, `${method} is not supported on /${route.resourceType}${route.id ? "/{id}" : ""}`);
  const resource = route.resourceType.toLowerCase();

  if (resource === "serviceproviderconfig") {
    if (method !== "GET") throw notAllowed();
    return { status: 200, body: serviceProviderConfig(caller.baseUrl) };
  }
  if (resource === "resourcetypes" || resource === "schemas") {
    if (method !== "GET") throw notAllowed();
    return { status: 200, body: discovery(resource === "schemas" ? "Schemas" : "ResourceTypes", caller.baseUrl, route.id) };
  }
  if (resource === "users") {
    if (route.id === null) {
      if (method === "GET") return { status: 200, body: await listScimUsers(db, caller, params) };
      if (method === "POST") return withEtag(await createScimUser(db, caller, await readBody(request)), 201);
      throw notAllowed();
    }
    if (method === "GET") {
      const user = await readScimUser(db, caller, route.id);
      const project = projection(params);
      return { status: 200, body: project ? project(user) : user, etag: user.meta.version };
    }
    if (method === "PUT") return withEtag(await replaceScimUser(db, caller, route.id, await readBody(request), ifMatch));
    if (method === "PATCH") return withEtag(await patchScimUser(db, caller, route.id, await readBody(request), ifMatch));
    if (method === "DELETE") {
      await deleteScimUser(db, caller, route.id, ifMatch);
      return { status: 204 };
    }
    throw notAllowed();
  }
  if (resource === "groups") {
    if (route.id === null) {
      if (method === "GET") return { status: 200, body: await listScimGroups(db, caller, params) };
      if (method === "POST") return withEtag(await createScimGroup(db, caller, await readBody(request)), 201);
      throw notAllowed();
    }
    if (method === "GET") return withEtag(await readScimGroup(db, caller, route.id, params));
    if (method === "PUT") return withEtag(await replaceScimGroup(db, caller, route.id, await readBody(request), ifMatch));
    if (method === "PATCH") return withEtag(await patchScimGroup(db, caller, route.id, await readBody(request), ifMatch));
    if (method === "DELETE") {
      await deleteScimGroup(db, caller, route.id, ifMatch);
      return { status: 204 };
    }
    throw notAllowed();
  }
  if (resource === "bulk") throw new ScimError(501, "Bulk operations are not supported (see ServiceProviderConfig)");
  if (resource === "me") throw new ScimError(501, "/Me is not supported: a token is not a user");
  throw new ScimError(404, `No SCIM endpoint /${route.resourceType.slice(0, 60)}`);
}

export async function handleScimRequest(db: TDatabase, request: Request, segments: string[], baseUrl: string): Promise<Response> {
  let caller: TScimCaller | null = null;
  let route: TRoute = { resourceType: segments[0] ?? "", id: segments[1] ?? null };
  let answer: Response;
  let logged: { status: number; scimType: string | null; detail: string | null; resourceId: string | null } = { status: 500, scimType: null, detail: null, resourceId: route.id };
  try {
    const client = clientInfoFromHeaders(Object.fromEntries(request.headers));
    const token = await authenticateApiToken(db, { authorization: request.headers.get("authorization"), address: client.ipAddress, userAgent: client.userAgent }, "scim");
    caller = { ...token, actor: { ...token.actor, userAgent: client.userAgent }, baseUrl };
    route = routeOf(segments);
    const result = await dispatch(db, caller, request, route);
    const createdId = result.status === 201 ? (result.body as { id?: string } | undefined)?.id ?? null : null;
    logged = { status: result.status, scimType: null, detail: null, resourceId: route.id ?? createdId };
    answer = scimResponse(result);
  } catch (error) {
    const scimError = asScimError(error);
    if (scimError) {
      logged = { ...logged, status: scimError.status, scimType: scimError.scimType, detail: scimError.detail };
      answer = errorResponse(scimError);
    } else {
      const id = logUnexpectedError(error, `${request.method} /scim/v2/${segments.join("/")}`);
      logged = { ...logged, status: 500, detail: `Unexpected error (error id ${id})` };
      answer = errorResponse(new ScimError(500, `Something went wrong (error id ${id})`));
    }
  }
  if (caller) {
    await recordScimRequest(db, {
      tenantId: caller.tenantId,
      apiTokenId: caller.tokenId,
      method: request.method.toUpperCase().slice(0, 10),
      resourceType: (route.resourceType || "/").slice(0, 40),
      resourceId: logged.resourceId,
      status: logged.status,
      scimType: logged.scimType,
      detail: logged.detail,
    }).catch((error: unknown) => logUnexpectedError(error, "recording a SCIM request"));
  }
  return answer;
}

/** The route handler's entry: the app's database and the public base URL (NEXTAUTH_URL + /scim/v2). */
export function answerScimRequest(request: Request, segments: string[]): Promise<Response> {
  return handleScimRequest(db(), request, segments, appUrl("/scim/v2"));
}
