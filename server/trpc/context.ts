import { parseCookieHeader } from "@/server/http/cookie-header";
import { clientInfoFromHeaders } from "@/server/http/client-headers";
import { db, type TDatabase } from "@/server/db/client";
import { checkSession, type TLiveSession } from "@/server/auth/sessions";
import { type TClientInfo } from "@/server/shared/actor";
import type { TSessionEndReason } from "@/server/auth/session-policy";
import { sessionIdFromCookie } from "@/server/auth/session-token";

export type TContext = {
  db: TDatabase;
  /** The live session, or null when signed out (then `signedOutReason` says why). */
  session: TLiveSession | null;
  signedOutReason: TSessionEndReason | "unknown" | null;
  client: TClientInfo;
};

export async function createContextForSessionId(sessionId: string | null, client: TClientInfo = {}): Promise<TContext> {
  const database = db();
  const check = sessionId ? await checkSession(database, sessionId) : null;
  return {
    db: database,
    session: check?.live ? check.session : null,
    signedOutReason: check && !check.live ? check.reason : null,
    client,
  };
}

export async function createContextFromHeaders(headers: Headers): Promise<TContext> {
  const cookies = parseCookieHeader(headers.get("cookie"));
  const sessionId = await sessionIdFromCookie((name) => cookies.get(name));
  // The same client as sign-in: the address our HTTP server wrote, never one the client sent.
  return createContextForSessionId(sessionId, clientInfoFromHeaders(Object.fromEntries(headers.entries())));
}
