import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { InvalidTransitionError } from "@/server/errors";
import { assertOwnerWithStepUp, lockApplication, type TApplicationSignInActor } from "@/server/applications/sign-in-authority";
import { ZApplicationRef } from "@/server/applications/oidc-settings-schemas";
import type { z } from "zod";
import { revokeApplicationAccess } from "@/server/application-sessions/revoke-application-access";

/**
 * The application stops being a sign-in client. Its client id is cleared (a
 * NULL client id is what "not a sign-in client" means to the provider, so no
 * new column is needed) and its secrets are deleted; the other settings stay,
 * so enabling again starts from them, with a new client id and secret: a
 * deployment forgotten with the old ones cannot come back to life. Revoking
 * the tokens already issued is the lifecycle's job on the provider's storage.
 */
export async function disableApplicationSignIn(db: TDatabase, actor: TApplicationSignInActor, rawInput: z.input<typeof ZApplicationRef>): Promise<{ disabled: true }> {
  const input = ZApplicationRef.parse(rawInput);
  return db.$transaction(async (tx) => {
    await assertOwnerWithStepUp(tx, actor, null);
    const application = await lockApplication(tx, actor.tenantId, BigInt(input.applicationId));
    if (!application.oidc_client_id) throw new InvalidTransitionError(`Sign-in is not enabled for ${application.name}`);
    // Whoever holds its tokens or a provider session there loses them now, and the application hears of it
    // (back-channel logout), before the client id that maps them to the application is cleared.
    const holders = await tx.$queryRaw<{ user_id: bigint }[]>`
      SELECT DISTINCT user_id FROM oidc_payloads
      WHERE tenant_id = ${actor.tenantId} AND user_id IS NOT NULL
        AND (client_id = ${application.oidc_client_id} OR (model = 'Session' AND payload->'authorizations' ? ${application.oidc_client_id}))`;
    await revokeApplicationAccess(tx, { tenantId: actor.tenantId, userIds: holders.map((row) => row.user_id), applicationIds: [application.id], cause: "application_revoked" });
    const secrets = await tx.applicationClientSecret.deleteMany({ where: { applicationId: application.id } });
    const now = new Date();
    await tx.application.update({ where: { id: application.id }, data: { oidcClientId: null, oidcUpdatedAt: now, updatedAt: now } });
    await recordAuditEvent(tx, actor, {
      action: "application.sign_in_disabled",
      targetType: "application",
      targetId: application.id,
      changes: { clientId: { before: application.oidc_client_id, after: null }, clientSecrets: { before: secrets.count, after: 0 } },
    });
    return { disabled: true as const };
  });
}
