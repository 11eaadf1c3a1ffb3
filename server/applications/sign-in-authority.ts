import type { TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ForbiddenError, NotFoundError } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import type { TSensitiveOperation } from "@/server/auth/sensitive-operations";

// Who may change an application's sign-in: owners, like a directory's settings.
// A redirect URI decides where members' authorisation codes go and a client
// secret lets its holder act as the application, so an admin reads them and an
// owner changes them, after "Confirm it's you" where the table says so.

export type TApplicationSignInActor = TActor & TStepUpSession & { sysAdmin: number };

export const OWNERS_ONLY_MESSAGE = "Only owners may change an application's sign-in settings";

export async function assertOwnerWithStepUp(db: TDatabaseOrTransaction, actor: TApplicationSignInActor, operation: TSensitiveOperation | null): Promise<void> {
  if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError(OWNERS_ONLY_MESSAGE);
  if (operation) await assertStepUp(db, actor, operation);
}

export type TLockedApplication = {
  id: bigint;
  name: string;
  oidc_client_id: string | null;
  oidc_client_type: string;
  redirect_uris: string[];
  post_logout_redirect_uris: string[];
  backchannel_logout_uri: string | null;
  first_party: boolean;
  access_token_ttl_seconds: number;
  id_token_ttl_seconds: number;
  refresh_token_ttl_seconds: number;
  claim_sets: string[];
  oidc_updated_at: Date | null;
};

/**
 * The application's row, locked for the rest of the transaction: two saves,
 * rotations or revocations of one application run one after the other, so each
 * sees what the previous one left. Another organisation's id is not found.
 */
export async function lockApplication(tx: TTransaction, tenantId: bigint, applicationId: bigint): Promise<TLockedApplication> {
  const [row] = await tx.$queryRaw<TLockedApplication[]>`
    SELECT id, name, oidc_client_id, oidc_client_type, redirect_uris, post_logout_redirect_uris, backchannel_logout_uri, first_party,
           access_token_ttl_seconds, id_token_ttl_seconds, refresh_token_ttl_seconds, claim_sets, oidc_updated_at
    FROM applications WHERE id = ${applicationId} AND tenant_id = ${tenantId} FOR UPDATE`;
  if (!row) throw new NotFoundError("This application does not exist");
  return row;
}

/** The stored settings under the schema's names, to compare with a form's values and write to the audit trail. */
export function storedSettings(row: TLockedApplication) {
  return {
    clientType: row.oidc_client_type,
    redirectUris: row.redirect_uris,
    postLogoutRedirectUris: row.post_logout_redirect_uris,
    backchannelLogoutUri: row.backchannel_logout_uri,
    firstParty: row.first_party,
    accessTokenTtlSeconds: row.access_token_ttl_seconds,
    idTokenTtlSeconds: row.id_token_ttl_seconds,
    refreshTokenTtlSeconds: row.refresh_token_ttl_seconds,
    claimSets: row.claim_sets,
  };
}
export type TStoredSettings = ReturnType<typeof storedSettings>;
