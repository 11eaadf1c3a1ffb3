import { db } from "@/server/db/client";
import { clientSecretHint, hashClientSecret, newClientSecret } from "@/server/oidc/client-secret-hash";
import { unique } from "./factories";

// Applications set up as sign-in clients, as the console would leave them
// (settings + one current secret, stored hashed), for the provider's tests.

export async function createOidcApplication(
  tenantId: bigint,
  settings: {
    redirectUris: string[];
    postLogoutRedirectUris?: string[];
    backchannelLogoutUri?: string | null;
    type?: "confidential" | "public";
    firstParty?: boolean;
    claimSets?: string[];
    name?: string;
  },
) {
  const clientId = unique("client");
  const type = settings.type ?? "confidential";
  const application = await db().application.create({
    data: {
      tenantId,
      name: settings.name ?? unique("App"),
      oidcClientId: clientId,
      oidcClientType: type,
      redirectUris: settings.redirectUris,
      postLogoutRedirectUris: settings.postLogoutRedirectUris ?? [],
      backchannelLogoutUri: settings.backchannelLogoutUri ?? null,
      firstParty: settings.firstParty ?? true,
      claimSets: settings.claimSets ?? ["profile", "email"],
      oidcUpdatedAt: new Date(),
    },
  });
  const clientSecret = type === "confidential" ? newClientSecret() : undefined;
  if (clientSecret) {
    await db().applicationClientSecret.create({
      data: { tenantId, applicationId: application.id, secretHash: hashClientSecret(clientSecret), hint: clientSecretHint(clientSecret) },
    });
  }
  return { application, clientId, clientSecret };
}

export async function grantApplication(memberId: bigint, applicationId: bigint): Promise<void> {
  await db().memberApplication.create({ data: { userId: memberId, applicationId } });
}
