import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/server/db/client";
import { isTenantAdmin } from "@/server/shared/roles";
import { checkSession, type TLiveSession, type TSessionCheck, type TSignedOutReason } from "@/server/auth/sessions";
import { sessionIdFromCookie } from "@/server/auth/session-token";

export const CHANGE_PASSWORD_PATH = "/change-password";

const readSessionId = async () => {
  const store = await cookies();
  return sessionIdFromCookie((name) => store.get(name)?.value);
};

/** This request's session check, done once per request however many components ask. */
export const currentSession = cache(async (): Promise<TSessionCheck> => {
  // The cookie first: reading it is what makes a page dynamic (never prerendered at build time).
  const sessionId = await readSessionId();
  return checkSession(db(), sessionId);
});

/** Where a browser that is not (fully) signed in goes: sign-in with the reason, or the change-password page. */
export function signInPath(reason: TSignedOutReason): string {
  if (reason === "password_change_required") return CHANGE_PASSWORD_PATH;
  return reason === "unknown" ? "/sign-in" : `/sign-in?reason=${encodeURIComponent(reason)}`;
}

/** For pages: the live session, or a redirect to sign-in (or to the forced password change). */
export async function requireSession(): Promise<TLiveSession> {
  const check = await currentSession();
  if (!check.live) redirect(signInPath(check.reason));
  return check.session;
}

/** For console pages: a tenant admin's session; members are sent to their self-service area. */
export async function requireAdminSession(): Promise<TLiveSession> {
  const session = await requireSession();
  if (!isTenantAdmin(session.member.sysAdmin)) redirect("/me");
  return session;
}

/** For the change-password page only: also a session that may do nothing but change its password. */
export const requirePasswordChangeSession = cache(async (): Promise<TLiveSession> => {
  const sessionId = await readSessionId();
  const check = await checkSession(db(), sessionId, new Date(), { allowPasswordChange: true });
  if (!check.live) redirect(signInPath(check.reason));
  return check.session;
});
