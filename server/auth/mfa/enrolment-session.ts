import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { db } from "@/server/db/client";
import { signInPath } from "@/server/auth/current-session";
import { checkSession, type TLiveSession } from "@/server/auth/sessions";
import { sessionIdFromCookie } from "@/server/auth/session-token";

export const MFA_ENROLMENT_PATH = "/mfa/enrol";

/**
 * For the forced MFA enrolment page and its actions: the session, also when
 * the tenant's policy confines it to setting up MFA (the API refuses it).
 */
export const requireMfaEnrolmentSession = cache(async (): Promise<TLiveSession> => {
  const store = await cookies();
  const sessionId = await sessionIdFromCookie((name) => store.get(name)?.value);
  const check = await checkSession(db(), sessionId, new Date(), { allowMfaEnrolment: true });
  if (!check.live) redirect(signInPath(check.reason));
  return check.session;
});
