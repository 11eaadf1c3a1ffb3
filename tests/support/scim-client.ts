import { randomUUID } from "node:crypto";
import { db } from "@/server/db/client";
import { newRandomSecret, secretHash, secretHint } from "@/server/shared/random-secret";
import type { TApiTokenScope } from "@/server/api-tokens/api-token-schemas";
import * as scimRoute from "@/app/scim/v2/[[...path]]/route";

// The test acts as the SCIM client (Entra, Okta): requests through the real
// route handler of /scim/v2, as the web process serves them.

export async function createScimToken(tenantId: bigint, options: { name?: string; scopes?: TApiTokenScope[]; expiresAt?: Date } = {}) {
  const token = newRandomSecret("tnr_at_");
  const row = await db().apiToken.create({
    data: {
      tenantId,
      name: options.name ?? `SCIM ${randomUUID().slice(0, 8)}`,
      scopes: options.scopes ?? ["scim"],
      tokenHash: secretHash(token),
      hint: secretHint(token),
      expiresAt: options.expiresAt ?? new Date(Date.now() + 30 * 86_400_000),
    },
  });
  return { token, id: row.id, name: row.name };
}

export type TScimAnswer = { status: number; headers: Headers; body: Record<string, unknown> & { [key: string]: unknown } };

type TMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export async function scimRequest(
  token: string | null,
  method: TMethod,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TScimAnswer> {
  const url = new URL(`http://localhost:3000/scim/v2${path}`);
  const segments = url.pathname.replace(/^\/scim\/v2\/?/, "").split("/").filter(Boolean);
  const request = new Request(url, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { "content-type": "application/scim+json" } : {}),
      "user-agent": "Microsoft.Identity.Provisioning",
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const handler = scimRoute[method];
  const response = await handler(request, { params: Promise.resolve({ path: segments }) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as TScimAnswer["body"]) : {} };
}

/** A client bound to one token. */
export const scimClient = (token: string) => ({
  get: (path: string, headers?: Record<string, string>) => scimRequest(token, "GET", path, undefined, headers),
  post: (path: string, body: unknown) => scimRequest(token, "POST", path, body),
  put: (path: string, body: unknown, headers?: Record<string, string>) => scimRequest(token, "PUT", path, body, headers),
  patch: (path: string, body: unknown, headers?: Record<string, string>) => scimRequest(token, "PATCH", path, body, headers),
  delete: (path: string, headers?: Record<string, string>) => scimRequest(token, "DELETE", path, undefined, headers),
});

let sequence = 0;
/** A SCIM User as Entra's provisioning service sends it (its documented request shape), with unique names. */
export function entraUser(overrides: Record<string, unknown> = {}) {
  const tag = `${++sequence}${randomUUID().slice(0, 6)}`;
  return {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
    externalId: `ext-${tag}`,
    userName: `ada.${tag}@contoso.test`,
    active: true,
    displayName: `Ada Lovelace ${tag}`,
    emails: [{ primary: true, type: "work", value: `ada.${tag}@contoso.test` }],
    meta: { resourceType: "User" },
    name: { formatted: `Ada Lovelace ${tag}`, familyName: "Lovelace", givenName: "Ada" },
    roles: [],
    ...overrides,
  };
}
