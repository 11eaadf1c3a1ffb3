import type { IncomingMessage, ServerResponse } from "node:http";
import type { InteractionResults } from "oidc-provider";
import { db } from "@/server/db/client";
import { clientInfoFromHeaders, firstHeader } from "@/server/http/client-headers";
import { parseCookieHeader } from "@/server/http/cookie-header";
import { checkSession } from "@/server/auth/sessions";
import { sessionIdFromCookie } from "@/server/auth/session-token";
import { clientSettings } from "@/server/oidc/clients";
import { signNotice } from "@/server/oidc/interaction-notices";
import { subjectOf } from "@/server/oidc/issuer";
import type { TTenantProvider } from "@/server/oidc/provider";
import { recordApplicationSignIn } from "@/server/oidc/record-application-sign-in";

// Tenure's side of an authorization (oidc-provider's "interaction"): every
// authorization comes here (provider.ts's policy), and it decides from
// Tenure's own state, read fresh each time:
//   1. the browser's Tenure session, of this organisation: otherwise (or when
//      the application asks for a fresh sign-in) Tenure's sign-in page, with
//      its MFA and session rules, then back here — single sign-on otherwise;
//   2. the member holds the application in their effective access (direct or
//      inherited): otherwise the "no access" page, and the refusal recorded;
//   3. a third-party application's first sign-in asks the member's consent
//      (the consent page posts back here); then login and consent at once.

export const DENIED_PAGE = "/applications/denied";
export const CONSENT_PAGE = "/applications/consent";

type TContext = { tenant: TTenantProvider; request: IncomingMessage; response: ServerResponse; path: string };

function redirect(response: ServerResponse, location: string): void {
  response.writeHead(303, { location, "cache-control": "no-store", "content-length": "0" });
  response.end();
}

function answer(response: ServerResponse, status: number, message: string): void {
  response.writeHead(status, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  response.end(message);
}

async function sessionCreatedAt(sessionId: string): Promise<Date | null> {
  const row = await db().session.findUnique({ where: { id: sessionId }, select: { createdAt: true } });
  return row?.createdAt ?? null;
}

async function holdsApplication(userId: bigint, applicationId: bigint): Promise<boolean> {
  const [row] = await db().$queryRaw<{ held: boolean }[]>`
    SELECT EXISTS (SELECT 1 FROM member_access WHERE user_id = ${userId} AND kind = 2 AND item_id = ${applicationId}) AS held`;
  return row?.held ?? false;
}

/** The member's existing grant to this client (consent given before, in any browser), newest first. */
async function existingGrantId(tenantId: bigint, userId: bigint, clientId: string): Promise<string | null> {
  const [row] = await db().$queryRaw<{ id: string }[]>`
    SELECT id FROM oidc_payloads
    WHERE tenant_id = ${tenantId} AND user_id = ${userId} AND client_id = ${clientId} AND model = 'Grant' AND (expires_at IS NULL OR expires_at > now())
    ORDER BY expires_at DESC NULLS FIRST LIMIT 1`;
  return row?.id ?? null;
}

function requestedScopes(scope: unknown, claimSets: string[]): string[] {
  const allowed = new Set(["openid", "offline_access", ...claimSets]);
  return typeof scope === "string" ? [...new Set(scope.split(" "))].filter((name) => allowed.has(name)) : ["openid"];
}

/** prompt=login, or a max_age the Tenure session is older than: the member signs in again (after this interaction began). */
function needsFreshSignIn(params: Record<string, unknown>, signedInAt: Date, interactionStartedAt: number): boolean {
  const prompts = typeof params.prompt === "string" ? params.prompt.split(" ") : [];
  const maxAge = typeof params.max_age === "string" || typeof params.max_age === "number" ? Number(params.max_age) : null;
  const signedInSeconds = Math.floor(signedInAt.getTime() / 1000);
  // Strictly after: the interaction's start is known to the second only, and a real sign-in takes longer than that.
  const fresh = signedInSeconds > interactionStartedAt;
  if (prompts.includes("login") && !fresh) return true;
  return maxAge !== null && Number.isFinite(maxAge) && Date.now() / 1000 - signedInSeconds > maxAge && !fresh;
}

function signInLocation(context: TContext, reason: string | null): string {
  const query = new URLSearchParams({ callbackUrl: context.path, organisation: context.tenant.slug });
  if (reason) query.set("reason", reason);
  return `/sign-in?${query.toString()}`;
}

/**
 * GET <issuer>/interaction/<uid>, and POST …/consent from the consent page
 * (`consented`). The interaction cookie (oidc-provider's, path-bound to this
 * interaction, SameSite=Lax) is what ties the request to the authorization:
 * another site cannot post a consent for the member.
 */
export async function handleInteraction(context: TContext, uid: string, action: "show" | "consent" | "decline"): Promise<void> {
  const { provider, tenantId } = context.tenant;
  const { request, response } = context;
  let details;
  try {
    details = await provider.interactionDetails(request, response);
  } catch {
    answer(response, 400, "This sign-in has expired or was started in another browser. Go back to the application and sign in again.");
    return;
  }
  if (details.uid !== uid) {
    answer(response, 400, "This sign-in does not match the one in progress. Go back to the application and sign in again.");
    return;
  }
  const clientId = typeof details.params.client_id === "string" ? details.params.client_id : "";
  const client = await provider.Client.find(clientId);
  const settings = clientSettings(client);
  if (!client || !settings) {
    await provider.interactionFinished(request, response, { error: "access_denied", error_description: "The application is no longer available" }, { mergeWithLastSubmission: false });
    return;
  }
  if (action === "decline") {
    await provider.interactionFinished(request, response, { error: "access_denied", error_description: "The member declined" }, { mergeWithLastSubmission: false });
    return;
  }

  const cookies = parseCookieHeader(firstHeader(request.headers, "cookie"));
  const sessionId = await sessionIdFromCookie((name) => cookies.get(name));
  const check = await checkSession(db(), sessionId);
  // Signed in to another organisation counts as signed out of this one.
  if (!check.live || check.session.tenant.id !== tenantId) {
    redirect(response, signInLocation(context, check.live || check.reason === "unknown" ? null : check.reason));
    return;
  }
  const signedInAt = await sessionCreatedAt(check.session.sessionId);
  const startedAt = typeof details.iat === "number" ? details.iat : Math.floor(Date.now() / 1000);
  if (!signedInAt || needsFreshSignIn(details.params, signedInAt, startedAt)) {
    redirect(response, signInLocation(context, null));
    return;
  }

  const member = check.session.member;
  const applicationId = BigInt(settings.applicationId);
  const clientInfo = clientInfoFromHeaders(request.headers);
  const record = (outcome: "granted" | "refused") =>
    recordApplicationSignIn(db(), {
      tenantId,
      applicationId,
      userId: member.id,
      outcome,
      reason: outcome === "granted" ? "holds_application" : "application_not_held",
      ipAddress: clientInfo.ipAddress,
      userAgent: clientInfo.userAgent,
      clientId,
    });
  if (!(await holdsApplication(member.id, applicationId))) {
    await record("refused");
    redirect(response, `${DENIED_PAGE}?notice=${signNotice({ kind: "denied", application: client.clientName ?? clientId, claimSets: [] })}`);
    return;
  }

  const scopes = requestedScopes(details.params.scope, settings.claimSets);
  const knownGrantId = await existingGrantId(tenantId, member.id, clientId);
  const grant = (knownGrantId ? await provider.Grant.find(knownGrantId) : undefined) ?? new provider.Grant({ accountId: subjectOf(member.id), clientId });
  const missing = scopes.filter((scope) => !grant.getOIDCScope().split(" ").includes(scope));
  if (!settings.firstParty && missing.length > 0 && action !== "consent") {
    const notice = signNotice({ kind: "consent", application: client.clientName ?? clientId, claimSets: scopes.filter((scope) => scope !== "openid" && scope !== "offline_access"), action: `${context.path}/consent` });
    redirect(response, `${CONSENT_PAGE}?notice=${notice}`);
    return;
  }
  if (missing.length > 0) grant.addOIDCScope(missing.join(" "));
  const grantId = await grant.save();
  await record("granted");
  const result: InteractionResults = {
    login: { accountId: subjectOf(member.id), ts: Math.floor(signedInAt.getTime() / 1000), remember: true },
    consent: { grantId },
  };
  await provider.interactionFinished(request, response, result, { mergeWithLastSubmission: false });
}
