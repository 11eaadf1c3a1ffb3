import { decode } from "next-auth/jwt";
import { serverEnv } from "@/server/env";
import { sessionCookieName, sessionCookiesAreSecure } from "@/server/auth/cookie-security";

export function currentSessionCookieName(): string {
  const env = serverEnv();
  return sessionCookieName(sessionCookiesAreSecure(env.NEXTAUTH_URL, env.NODE_ENV));
}

/** The session row id carried by the next-auth JWT cookie, or null when absent or forged. */
export async function sessionIdFromCookie(readCookie: (name: string) => string | undefined): Promise<string | null> {
  const raw = readCookie(currentSessionCookieName());
  if (!raw) return null;
  try {
    const token = await decode({ token: raw, secret: serverEnv().NEXTAUTH_SECRET });
    return typeof token?.sid === "string" ? token.sid : null;
  } catch {
    return null;
  }
}
