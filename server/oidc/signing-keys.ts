import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from "jose";
import type { TDatabaseOrTransaction } from "@/server/db/client";
import { openValue, sealValue } from "@/server/shared/secret-box";

// The installation's signing keys: every organisation's issuer signs ID tokens,
// JWT access tokens and logout tokens with the 'current' key. The 'next' key is
// published in the JWKS before it signs anything, so a relying party that
// caches the JWKS already knows it on the day of a rotation; a 'retired' key
// stays published until every token it signed has expired. Private keys are
// sealed with the secret box: a copy of the database signs nothing.

export const SIGNING_ALG = "RS256";
const PURPOSE = "oidc-signing-key";
/** Longer than any token a key signs lives (ID and access tokens: at most an hour; logout tokens: minutes). */
export const RETIRED_KEY_PUBLISHED_MS = 24 * 60 * 60 * 1000;

export type TSigningKeyStatus = "next" | "current" | "retired";
export type TSigningKey = { kid: string; alg: string; status: TSigningKeyStatus; privateJwk: JWK; publicJwk: JWK };

const boundTo = (kid: string) => `oidc_signing_keys:${kid}`;

async function newKeyRow(status: "next" | "current", now: Date) {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALG, { modulusLength: 2048, extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: SIGNING_ALG, use: "sig" };
  return {
    kid,
    alg: SIGNING_ALG,
    status,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALG, use: "sig" },
    privateJwkSealed: sealValue(PURPOSE, boundTo(kid), JSON.stringify(privateJwk)),
    activatedAt: status === "current" ? now : null,
  };
}

/**
 * Makes the current and the next key when either is missing (first start, or
 * after a rotation left no next key). Safe to call from several processes at
 * once: the one-current and one-next indexes let only one insert win.
 */
export async function ensureSigningKeys(db: TDatabaseOrTransaction, now = new Date()): Promise<void> {
  for (const status of ["current", "next"] as const) {
    const existing = await db.oidcSigningKey.findFirst({ where: { status }, select: { id: true } });
    if (existing) continue;
    const row = await newKeyRow(status, now);
    await db.$executeRaw`
      INSERT INTO oidc_signing_keys (kid, alg, public_jwk, private_jwk_sealed, status, activated_at)
      VALUES (${row.kid}, ${row.alg}, ${JSON.stringify(row.publicJwk)}::jsonb, ${row.privateJwkSealed}, ${row.status}, ${row.activatedAt})
      ON CONFLICT DO NOTHING`;
  }
}

/**
 * The keys to sign with and to publish, the current one first (oidc-provider
 * signs with the first key of an algorithm), then the next, then retired keys
 * still within their publication window.
 */
export async function loadSigningKeys(db: TDatabaseOrTransaction, now = new Date()): Promise<TSigningKey[]> {
  await ensureSigningKeys(db, now);
  const rows = await db.oidcSigningKey.findMany({
    where: {
      OR: [{ status: { in: ["current", "next"] } }, { status: "retired", retiredAt: { gt: new Date(now.getTime() - RETIRED_KEY_PUBLISHED_MS) } }],
    },
    orderBy: { id: "desc" },
  });
  const rank: Record<string, number> = { current: 0, next: 1, retired: 2 };
  return rows
    .sort((a, b) => rank[a.status]! - rank[b.status]! || Number(b.id - a.id))
    .map((row) => ({
      kid: row.kid,
      alg: row.alg,
      status: row.status as TSigningKeyStatus,
      privateJwk: JSON.parse(openValue(PURPOSE, boundTo(row.kid), row.privateJwkSealed)) as JWK,
      publicJwk: row.publicJwk as JWK,
    }));
}

/** The key that signs now. */
export async function currentSigningKey(db: TDatabaseOrTransaction, now = new Date()): Promise<TSigningKey> {
  const keys = await loadSigningKeys(db, now);
  const current = keys.find((key) => key.status === "current");
  if (!current) throw new Error("No current OpenID signing key");
  return current;
}

/**
 * A rotation: the next key (already published) starts signing, the current one
 * is retired (still published for a day), and a new next key is made. Run it in
 * a transaction; callers record the audit event in the same one.
 */
export async function rotateSigningKeys(tx: TDatabaseOrTransaction, now = new Date()): Promise<{ activatedKid: string; retiredKid: string | null }> {
  // One rotation at a time: a second one waits, then reads the keys the first left (never a broken pair).
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('tenure:oidc_signing_keys'))`;
  await ensureSigningKeys(tx, now);
  const rows = await tx.$queryRaw<{ id: bigint; kid: string; status: string }[]>`
    SELECT id, kid, status FROM oidc_signing_keys WHERE status IN ('current', 'next') ORDER BY id`;
  const current = rows.find((row) => row.status === "current");
  const next = rows.find((row) => row.status === "next");
  if (!next) throw new Error("No next OpenID signing key to rotate to");
  if (current) await tx.oidcSigningKey.update({ where: { id: current.id }, data: { status: "retired", retiredAt: now } });
  await tx.oidcSigningKey.update({ where: { id: next.id }, data: { status: "current", activatedAt: now } });
  await ensureSigningKeys(tx, now);
  return { activatedKid: next.kid, retiredKid: current?.kid ?? null };
}
