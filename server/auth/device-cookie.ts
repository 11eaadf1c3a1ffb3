import { createHmac, timingSafeEqual } from "node:crypto";
import { serverEnv } from "@/server/env";

// Device cookies (OWASP "Slow down online guessing attacks with device
// cookies"): each successful sign-in leaves in the browser a token bound to
// the member, signed with a key derived from NEXTAUTH_SECRET. A later attempt
// carrying a valid token of the member it names counts in the member's
// "familiar" bucket, apart from everyone else's, so strangers exhausting the
// throttle never keep the member's own browser out. One cookie holds the
// tokens of the last few members who signed in on this browser (a shared
// computer). Nothing is stored: a token is valid while its signature is and
// it is younger than DEVICE_TOKEN_LIFETIME_MS.

export const DEVICE_COOKIE_MAX_TOKENS = 5;
export const DEVICE_TOKEN_LIFETIME_MS = 180 * 24 * 60 * 60 * 1000;
const COOKIE_MAX_LENGTH = 2048;

export function deviceCookieName(secure: boolean): string {
  // __Host-: Secure, path /, no Domain: no sibling subdomain can plant or read it.
  return secure ? "__Host-tenure-device" : "tenure-device";
}

const signingKey = () => createHmac("sha256", "tenure device cookie v1").update(serverEnv().NEXTAUTH_SECRET).digest();
const signature = (payload: string) => createHmac("sha256", signingKey()).update(payload).digest("base64url");

function readToken(token: string, now: Date): { memberId: bigint; issuedAt: number } | null {
  const match = /^(\d{1,19})\.(\d{1,13})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!match) return null;
  const [, memberId, issuedAt, mac] = match as unknown as [string, string, string, string];
  const expected = Buffer.from(signature(`${memberId}.${issuedAt}`));
  if (!timingSafeEqual(expected, Buffer.from(mac))) return null;
  const age = now.getTime() - Number(issuedAt);
  return age >= 0 && age <= DEVICE_TOKEN_LIFETIME_MS ? { memberId: BigInt(memberId), issuedAt: Number(issuedAt) } : null;
}

function validTokens(cookie: string | null | undefined, now: Date): { token: string; memberId: bigint }[] {
  if (!cookie || cookie.length > COOKIE_MAX_LENGTH) return [];
  return cookie
    .split("~")
    .slice(0, DEVICE_COOKIE_MAX_TOKENS)
    .flatMap((token) => {
      const read = readToken(token, now);
      return read ? [{ token, memberId: read.memberId }] : [];
    });
}

/** Whether the browser's device cookie holds a valid token of this member. */
export function isFamiliarDevice(cookie: string | null | undefined, memberId: bigint, now = new Date()): boolean {
  return validTokens(cookie, now).some((entry) => entry.memberId === memberId);
}

/** The cookie's new value after the member signed in: a fresh token of theirs first, the other members' valid ones kept. */
export function deviceCookieAfterSignIn(cookie: string | null | undefined, memberId: bigint, now = new Date()): string {
  const payload = `${memberId}.${now.getTime()}`;
  const others = validTokens(cookie, now).filter((entry) => entry.memberId !== memberId);
  return [`${payload}.${signature(payload)}`, ...others.map((entry) => entry.token)].slice(0, DEVICE_COOKIE_MAX_TOKENS).join("~");
}

