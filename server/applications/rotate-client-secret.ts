import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { ConflictError, InvalidTransitionError, NotFoundError } from "@/server/errors";
import { assertOwnerWithStepUp, lockApplication, type TApplicationSignInActor } from "@/server/applications/sign-in-authority";
import { issueClientSecret } from "@/server/applications/client-secrets";
import { ZRevokeClientSecret, ZRotateClientSecret, type TRotateClientSecretInput } from "@/server/applications/oidc-settings-schemas";
import type { z } from "zod";

// Rotation with overlap: the new secret is current at once and the previous
// ones keep working until the expiry the owner chose (0 hours: they stop now),
// so an application can be redeployed with the new secret without a gap.

/**
 * At most this many earlier secrets work beside the current one. A third
 * rotation within the overlap is refused rather than silently cutting off a
 * secret some deployment may still use; "stop now" is always possible.
 */
export const MAX_OVERLAPPING_SECRETS = 2;
const HOUR_MS = 60 * 60 * 1000;

export async function rotateClientSecret(
  db: TDatabase,
  actor: TApplicationSignInActor,
  rawInput: TRotateClientSecretInput,
  now = new Date(),
): Promise<{ secret: string; hint: string; previousValidUntil: Date }> {
  const input = ZRotateClientSecret.parse(rawInput);
  return db.$transaction(async (tx) => {
    await assertOwnerWithStepUp(tx, actor, "applications.client_secret");
    const application = await lockApplication(tx, actor.tenantId, BigInt(input.applicationId));
    if (!application.oidc_client_id) throw new InvalidTransitionError(`Sign-in is not enabled for ${application.name}`);
    if (application.oidc_client_type !== "confidential") throw new InvalidTransitionError("A public client has no secret: it proves itself with PKCE");
    const validUntil = new Date(now.getTime() + input.previousSecretValidForHours * HOUR_MS);
    // Secrets that have expired are of no use to anyone: they go, the list stays short.
    await tx.applicationClientSecret.deleteMany({ where: { applicationId: application.id, expiresAt: { lte: now } } });
    const stillWorking = await tx.applicationClientSecret.count({ where: { applicationId: application.id, expiresAt: { not: null } } });
    if (input.previousSecretValidForHours > 0 && stillWorking >= MAX_OVERLAPPING_SECRETS) {
      throw new ConflictError(
        `${stillWorking} earlier secrets still work. Revoke one, or rotate with "Stop the previous secret now", before rotating again.`,
        { previousSecretValidForHours: ["Revoke an earlier secret first, or stop the previous one now"] },
      );
    }
    // The current secret, and earlier ones that would outlive it, stop at the chosen time.
    const replaced = await tx.applicationClientSecret.updateMany({
      where: { applicationId: application.id, OR: [{ expiresAt: null }, { expiresAt: { gt: validUntil } }] },
      data: { expiresAt: validUntil },
    });
    const issued = await issueClientSecret(tx, actor.tenantId, application.id, actor.memberId);
    await recordAuditEvent(tx, actor, {
      action: "application.client_secret_rotated",
      targetType: "application",
      targetId: application.id,
      changes: {
        clientSecret: { before: null, after: `…${issued.hint}` },
        previousSecretsValidUntil: { before: null, after: replaced.count > 0 ? validUntil.toISOString() : null },
      },
    });
    return { secret: issued.secret, hint: issued.hint, previousValidUntil: validUntil };
  });
}

/** An earlier secret stops working at once (a leaked one, or a deployment done). The current one is replaced by rotating. */
export async function revokeClientSecret(db: TDatabase, actor: TApplicationSignInActor, rawInput: z.input<typeof ZRevokeClientSecret>, now = new Date()): Promise<{ revoked: true }> {
  const input = ZRevokeClientSecret.parse(rawInput);
  return db.$transaction(async (tx) => {
    await assertOwnerWithStepUp(tx, actor, "applications.client_secret");
    const application = await lockApplication(tx, actor.tenantId, BigInt(input.applicationId));
    const secret = await tx.applicationClientSecret.findFirst({
      where: { id: BigInt(input.secretId), applicationId: application.id, tenantId: actor.tenantId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
      select: { id: true, hint: true, expiresAt: true },
    });
    if (!secret) throw new NotFoundError("This secret does not exist or has already stopped working");
    if (secret.expiresAt === null) throw new InvalidTransitionError("This is the current secret: rotate to replace it (choose \"Stop the previous secret now\" to cut it off)");
    await tx.applicationClientSecret.delete({ where: { id: secret.id } });
    await recordAuditEvent(tx, actor, {
      action: "application.client_secret_revoked",
      targetType: "application",
      targetId: application.id,
      changes: { clientSecret: { before: `…${secret.hint}`, after: null } },
    });
    return { revoked: true as const };
  });
}
