import { encode } from "next-auth/jwt";
import { serverEnv } from "@/server/env";
import { currentSessionCookieName } from "@/server/auth/session-token";

/** The cookie a browser holds after signing in with this session row (what next-auth would set). */
export async function sessionCookieFor(sessionId: string): Promise<string> {
  const token = await encode({ token: { sub: sessionId, sid: sessionId }, secret: serverEnv().NEXTAUTH_SECRET });
  return `${currentSessionCookieName()}=${token}`;
}
