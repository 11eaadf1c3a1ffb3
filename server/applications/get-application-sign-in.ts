import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { issuerUrl } from "@/server/oidc/issuer";
import { CLAIM_SETS, type TClaimSet, type TOidcClientType } from "@/server/applications/oidc-settings-schemas";

/**
 * An application's sign-in settings as the console shows them: the issuer the
 * application discovers, its client id, the settings, and the secrets that
 * still work by hint and expiry. Never a secret or its hash.
 */
export async function getApplicationSignIn(db: TDatabase, tenantId: bigint, applicationId: bigint, now = new Date()) {
  const application = await db.application.findFirst({
    where: { id: applicationId, tenantId },
    select: {
      id: true,
      name: true,
      description: true,
      oidcClientId: true,
      oidcClientType: true,
      redirectUris: true,
      postLogoutRedirectUris: true,
      backchannelLogoutUri: true,
      firstParty: true,
      accessTokenTtlSeconds: true,
      idTokenTtlSeconds: true,
      refreshTokenTtlSeconds: true,
      claimSets: true,
      oidcUpdatedAt: true,
      tenant: { select: { slug: true } },
      clientSecrets: {
        where: { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
        orderBy: [{ createdAt: "desc" }, { id: "desc" }],
        select: { id: true, hint: true, createdAt: true, expiresAt: true, creator: { select: { fullName: true } } },
      },
    },
  });
  if (!application) throw new NotFoundError("This application does not exist");
  const issuer = issuerUrl(application.tenant.slug);
  const enabled = application.oidcClientId !== null;
  return {
    id: application.id.toString(),
    name: application.name,
    description: application.description,
    enabled,
    clientId: application.oidcClientId,
    issuer,
    discoveryUrl: `${issuer}/.well-known/openid-configuration`,
    oidcUpdatedAt: application.oidcUpdatedAt,
    settings: {
      clientType: application.oidcClientType as TOidcClientType,
      redirectUris: application.redirectUris,
      postLogoutRedirectUris: application.postLogoutRedirectUris,
      backchannelLogoutUri: application.backchannelLogoutUri,
      firstParty: application.firstParty,
      accessTokenTtlSeconds: application.accessTokenTtlSeconds,
      idTokenTtlSeconds: application.idTokenTtlSeconds,
      refreshTokenTtlSeconds: application.refreshTokenTtlSeconds,
      claimSets: application.claimSets.filter((set): set is TClaimSet => (CLAIM_SETS as readonly string[]).includes(set)),
    },
    secrets: application.clientSecrets.map((secret) => ({
      id: secret.id.toString(),
      hint: secret.hint,
      createdAt: secret.createdAt,
      createdBy: secret.creator?.fullName ?? null,
      expiresAt: secret.expiresAt,
      current: secret.expiresAt === null,
    })),
  };
}
export type TApplicationSignInView = Awaited<ReturnType<typeof getApplicationSignIn>>;
