import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { serverEnv } from "@/server/env";

// What the interaction hands the Next pages it redirects to (the denied page,
// the consent page): the application's name, the claims, where to post the
// answer. Signed, so nobody can link a member to a Tenure page that names an
// application of their choosing; short-lived, so an old link shows nothing.

const NOTICE_LIFETIME_MS = 60 * 60 * 1000;

const ZNotice = z.object({
  kind: z.enum(["denied", "consent"]),
  application: z.string().max(200),
  claimSets: z.array(z.string().max(40)).max(10).default([]),
  /** The interaction path to post the member's answer to (consent only). */
  action: z.string().max(300).regex(/^\/oidc\/[^/?#]+\/interaction\/[A-Za-z0-9_-]+\/consent$/).optional(),
  expiresAt: z.number().int(),
});
export type TInteractionNotice = Omit<z.infer<typeof ZNotice>, "expiresAt">;

function signingKey(): Buffer {
  return Buffer.from(hkdfSync("sha256", serverEnv().NEXTAUTH_SECRET, "tenure", "tenure:oidc-interaction-notice:v1", 32));
}

const mac = (body: string) => createHmac("sha256", signingKey()).update(body).digest();

export function signNotice(notice: TInteractionNotice, now = Date.now()): string {
  const body = Buffer.from(JSON.stringify({ ...notice, expiresAt: now + NOTICE_LIFETIME_MS })).toString("base64url");
  return `${body}.${mac(body).toString("base64url")}`;
}

/** The notice, or null when it is absent, forged, malformed or expired. */
export function readNotice(token: unknown, kind: TInteractionNotice["kind"], now = Date.now()): TInteractionNotice | null {
  if (typeof token !== "string" || token.length > 4096) return null;
  const [body, signature] = token.split(".");
  if (!body || !signature) return null;
  const expected = mac(body);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = ZNotice.safeParse(JSON.parse(Buffer.from(body, "base64url").toString("utf8")));
    if (!parsed.success || parsed.data.kind !== kind || parsed.data.expiresAt < now) return null;
    const { expiresAt: _expiresAt, ...notice } = parsed.data;
    return notice;
  } catch {
    return null;
  }
}
