import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { cookies } from "next/headers";
import { db } from "@/server/db/client";
import { parseCookieHeader } from "@/server/http/cookie-header";
import { serverEnv } from "@/server/env";
import { DomainError } from "@/server/errors";
import { sessionCookiesAreSecure } from "@/server/auth/cookie-security";
import { SESSION_MAX_ABSOLUTE_LIFETIME_MS } from "@/server/auth/session-policy";
import { signOutSession } from "@/server/auth/sign-out-session";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { completeSignInChallenge } from "@/server/auth/mfa/sign-in-challenge";
import { deviceCookieAfterSignIn, deviceCookieName, DEVICE_TOKEN_LIFETIME_MS } from "@/server/auth/device-cookie";
import { clientInfoFromHeaders, firstHeader, type THeaders } from "@/server/http/client-headers";
import { SIGN_IN_ERROR, signInErrorMessage } from "@/server/auth/schemas";
import { logUnexpectedError } from "@/server/unexpected-error";
import { safeRedirectPath } from "@/server/validation/safe-redirect";

// next-auth's Credentials provider refuses database sessions, so the JWT holds
// only the id (`sid`) of our own Session row; every request checks that row
// (server/auth/sessions.ts#checkSession), which makes sessions revocable.

/**
 * The device cookie (server/auth/device-cookie.ts) around a credentials step:
 * read from the request's Cookie header, and renewed on the response when the step signed the
 * member in. authorize() runs inside the route handler's request, where
 * next/headers' cookies() can set a cookie that Next adds to next-auth's response.
 */
async function withDeviceCookie(
  secure: boolean,
  headers: THeaders,
  step: (device: { cookie: string | null }) => Promise<{ sessionId: string; memberId: bigint }>,
) {
  const name = deviceCookieName(secure);
  const current = parseCookieHeader(firstHeader(headers, "cookie")).get(name) ?? null;
  const signedIn = await step({ cookie: current });
  // Only a signed-in step touches the response's cookies (a refused one leaves them as they were).
  const jar = await cookies();
  jar.set(name, deviceCookieAfterSignIn(current, signedIn.memberId), {
    httpOnly: true,
    secure,
    sameSite: "lax",
    path: "/",
    maxAge: DEVICE_TOKEN_LIFETIME_MS / 1000,
  });
  return { id: signedIn.sessionId };
}

/**
 * What authorize() throws: a domain error's code for the form to word; anything
 * else (a database refusal, a bug) as a generic code with the id of its log
 * line, since next-auth puts the message into the sign-in page's URL.
 */
function signInError(error: unknown, where: string): Error {
  if (error instanceof DomainError) return new Error(error.message);
  return new Error(signInErrorMessage(SIGN_IN_ERROR.unavailable, logUnexpectedError(error, where)));
}

export function authOptions(): NextAuthOptions {
  const env = serverEnv();
  const secure = sessionCookiesAreSecure(env.NEXTAUTH_URL, env.NODE_ENV);
  // The cookie may live as long as any tenant's sessions can; the session row ends it sooner.
  const lifetimeSeconds = SESSION_MAX_ABSOLUTE_LIFETIME_MS / 1000;
  return {
    secret: env.NEXTAUTH_SECRET,
    useSecureCookies: secure,
    session: { strategy: "jwt", maxAge: lifetimeSeconds },
    jwt: { maxAge: lifetimeSeconds },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        id: "credentials",
        name: "Password",
        credentials: { organisation: { type: "text" }, login: { type: "text" }, password: { type: "password" } },
        async authorize(credentials, request) {
          try {
            const input = { organisation: credentials?.organisation ?? "", login: credentials?.login ?? "", password: credentials?.password ?? "" };
            const client = clientInfoFromHeaders(request.headers as THeaders);
            return await withDeviceCookie(secure, request.headers as THeaders, (device) => signInWithPassword(db(), input, client, new Date(), device));
          } catch (error) {
            // next-auth hands the message to the form, which words it (sign-in-form.tsx).
            throw signInError(error, "sign-in (password)");
          }
        },
      }),
      // The second step for a member with MFA: the password step's challenge and a code (or a recovery code).
      CredentialsProvider({
        id: "mfa",
        name: "Authentication code",
        credentials: { challenge: { type: "text" }, code: { type: "text" } },
        async authorize(credentials, request) {
          try {
            const input = { challenge: credentials?.challenge ?? "", code: credentials?.code ?? "" };
            const client = clientInfoFromHeaders(request.headers as THeaders);
            return await withDeviceCookie(secure, request.headers as THeaders, (device) => completeSignInChallenge(db(), input, client, new Date(), device));
          } catch (error) {
            throw signInError(error, "sign-in (code)");
          }
        },
      }),
    ],
    callbacks: {
      // Every callbackUrl next-auth is given goes through the one same-origin check.
      redirect: ({ url, baseUrl }) => `${new URL(baseUrl).origin}${safeRedirectPath(url, { origin: baseUrl })}`,
      // Only the session id travels in the cookie: no name or email to leak or go stale.
      jwt: ({ token, user }) => (user ? { sub: user.id, sid: user.id } : token),
      session: ({ session, token }) => ({ expires: session.expires, sid: typeof token.sid === "string" ? token.sid : undefined }) as typeof session,
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await signOutSession(db(), token.sid);
      },
    },
  };
}
