import { randomBytes, randomUUID } from "node:crypto";
import { db } from "@/server/db/client";
import { subjectOf } from "@/server/oidc/issuer";

// oidc-provider's storage as its adapter leaves it (the issue 14 contract):
// a member signed in to several applications has one Session row whose
// authorizations name each client with its sid and grant, a Grant per
// client, and access and refresh tokens per client. The lifecycle tests
// revoke these without running the provider.

const opaque = () => randomBytes(24).toString("base64url");
const inOneHour = () => new Date(Date.now() + 60 * 60 * 1000);

/** An application of the catalogue that is a sign-in client (optionally with a back-channel logout URI). */
export async function createOidcApplication(tenantId: bigint, options: { name?: string; backchannelLogoutUri?: (clientId: string) => string } = {}) {
  const clientId = `client-${randomUUID()}`;
  return db().application.create({
    data: {
      tenantId,
      name: options.name ?? `App ${clientId.slice(7, 15)}`,
      oidcClientId: clientId,
      redirectUris: ["http://127.0.0.1/callback"],
      backchannelLogoutUri: options.backchannelLogoutUri?.(clientId) ?? null,
    },
  });
}

type TOidcApplication = { id: bigint; oidcClientId: string | null };
export type TProviderSession = { sessionId: string; sidByClient: Map<string, string> };

/**
 * One provider session of the member at every application given, with a
 * grant, an access token and a refresh token at each (and an authorisation
 * code at the first, as if a sign-in were half done).
 */
export async function createProviderSession(tenantId: bigint, userId: bigint, applications: TOidcApplication[], options: { expired?: boolean } = {}): Promise<TProviderSession> {
  const accountId = subjectOf(userId);
  const sessionId = opaque();
  const uid = opaque();
  const expiresAt = options.expired ? new Date(Date.now() - 60_000) : inOneHour();
  const exp = Math.floor(expiresAt.getTime() / 1000);
  const sidByClient = new Map<string, string>();
  const authorizations: Record<string, { sid: string; grantId: string }> = {};
  const rows: { model: string; id: string; payload: object; grantId: string | null; clientId: string | null }[] = [];
  for (const [index, application] of applications.entries()) {
    const clientId = application.oidcClientId!;
    const sid = randomUUID();
    const grantId = opaque();
    sidByClient.set(clientId, sid);
    authorizations[clientId] = { sid, grantId };
    rows.push({ model: "Grant", id: grantId, grantId, clientId, payload: { jti: grantId, kind: "Grant", accountId, clientId, openid: { scope: "openid email profile" }, exp } });
    for (const model of ["AccessToken", "RefreshToken", ...(index === 0 ? ["AuthorizationCode"] : [])]) {
      const jti = opaque();
      rows.push({ model, id: jti, grantId, clientId, payload: { jti, kind: model, accountId, clientId, grantId, sid, sessionUid: uid, scope: "openid email", exp } });
    }
  }
  rows.push({ model: "Session", id: sessionId, grantId: null, clientId: null, payload: { jti: sessionId, kind: "Session", uid, accountId, authorizations, loginTs: exp - 3600, exp } });
  await db().oidcPayload.createMany({
    data: rows.map((row) => ({
      tenantId,
      model: row.model,
      id: row.id,
      payload: row.payload,
      grantId: row.grantId,
      uid: row.model === "Session" ? uid : null,
      userId,
      clientId: row.clientId,
      expiresAt,
    })),
  });
  return { sessionId, sidByClient };
}

/** The member's rows in the provider's storage, by model (Session rows also list the clients still authorised). */
export async function providerRowsOf(userId: bigint) {
  const rows = await db().oidcPayload.findMany({ where: { userId }, orderBy: [{ model: "asc" }, { id: "asc" }] });
  return rows.map((row) => ({
    model: row.model,
    clientId: row.clientId,
    clients: row.model === "Session" ? Object.keys((row.payload as { authorizations?: object }).authorizations ?? {}).sort() : undefined,
  }));
}
