import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { ensureSigningKeys, RETIRED_KEY_PUBLISHED_MS, rotateSigningKeys, type TSigningKeyStatus } from "@/server/oidc/signing-keys";
import { assertOwnerWithStepUp, type TApplicationSignInActor } from "@/server/applications/sign-in-authority";
import { ForbiddenError } from "@/server/errors";
import { SYSTEM_ROLE } from "@/server/shared/roles";

// Settings → Signing keys: the installation's keys by kid and status, and a
// rotation (owners, after a step-up). The keys sign for every organisation's
// issuer; the rotation is recorded in the trail of the organisation whose
// owner asked for it. Only public facts leave here: never key material.

const RETIRED_SHOWN = 10;

export async function listSigningKeys(db: TDatabase, now = new Date()) {
  await ensureSigningKeys(db, now);
  const [live, retired] = await Promise.all([
    db.oidcSigningKey.findMany({ where: { status: { in: ["current", "next"] } }, select: keyColumns }),
    db.oidcSigningKey.findMany({ where: { status: "retired" }, orderBy: [{ retiredAt: "desc" }, { id: "desc" }], take: RETIRED_SHOWN, select: keyColumns }),
  ]);
  const rank: Record<string, number> = { current: 0, next: 1 };
  return [...live.sort((a, b) => rank[a.status]! - rank[b.status]!), ...retired].map((key) => ({
    kid: key.kid,
    alg: key.alg,
    status: key.status as TSigningKeyStatus,
    createdAt: key.createdAt,
    activatedAt: key.activatedAt,
    retiredAt: key.retiredAt,
    // A retired key stays in the JWKS until every token it signed has expired.
    publishedUntil: key.retiredAt ? new Date(key.retiredAt.getTime() + RETIRED_KEY_PUBLISHED_MS) : null,
  }));
}
const keyColumns = { kid: true, alg: true, status: true, createdAt: true, activatedAt: true, retiredAt: true } as const;

export async function rotateInstallationSigningKeys(db: TDatabase, actor: TApplicationSignInActor, now = new Date()): Promise<{ activatedKid: string; retiredKid: string | null }> {
  if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only owners may rotate the signing keys");
  return db.$transaction(async (tx) => {
    await assertOwnerWithStepUp(tx, actor, "oidc.signing_keys");
    const rotated = await rotateSigningKeys(tx, now);
    const activated = await tx.oidcSigningKey.findUniqueOrThrow({ where: { kid: rotated.activatedKid }, select: { id: true } });
    await recordAuditEvent(tx, actor, {
      action: "oidc.signing_keys_rotated",
      targetType: "oidc_signing_key",
      targetId: activated.id,
      changes: { signingKey: { before: rotated.retiredKid, after: rotated.activatedKid } },
    });
    return rotated;
  });
}
