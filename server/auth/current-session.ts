import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/server/db/client";
import { isTenantAdmin } from "@/server/auth/roles";
import { checkSession, type TLiveSession, type TSessionCheck } from "@/server/auth/sessions";
import { sessionIdFromCookie } from "@/server/auth/session-token";

/** This request's session check, done once per request however many components ask. */
export const currentSession = cache(async (): Promise<TSessionCheck> => {
  const store = await cookies();
  return checkSession(db(), await sessionIdFromCookie((name) => store.get(name)?.value));
});

function signInPath(reason: string): string {
  return reason === "unknown" ? "/sign-in" : `/sign-in?reason=${encodeURIComponent(reason)}`;
}

/** For pages: the live session, or a redirect to sign-in. */
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
