import { db } from "@/server/db/client";
import { DEFAULT_OIDC_SETTINGS, type TOidcSettingsInput } from "@/server/applications/oidc-settings-schemas";
import { enableApplicationSignIn } from "@/server/applications/save-application-sign-in";
import { SYSTEM_ROLE } from "@/server/shared/roles";

// An application's sign-in settings for tests: the form's values with a
// working redirect URI, and a sign-in client made through the service itself
// (as the system's owner-level actor, which needs no step-up).

export function signInSettingsInput(applicationId: bigint | string, overrides: Partial<TOidcSettingsInput> = {}): TOidcSettingsInput {
  return {
    applicationId: applicationId.toString(),
    expectedUpdatedAt: null,
    ...DEFAULT_OIDC_SETTINGS,
    redirectUris: ["https://app.example.test/callback"],
    postLogoutRedirectUris: ["https://app.example.test/"],
    backchannelLogoutUri: "https://app.example.test/backchannel-logout",
    claimSets: [...DEFAULT_OIDC_SETTINGS.claimSets],
    ...overrides,
  };
}

/** Enables sign-in for the application; returns the client id and the first secret (shown once). */
export async function enableSignInFor(tenantId: bigint, applicationId: bigint, overrides: Partial<TOidcSettingsInput> = {}) {
  const actor = { tenantId, memberId: null, sysAdmin: SYSTEM_ROLE.owner };
  return enableApplicationSignIn(db(), actor, signInSettingsInput(applicationId, overrides));
}

/** The form's version of the application's settings now (for an update). */
export async function signInVersion(applicationId: bigint): Promise<Date | null> {
  return (await db().application.findUniqueOrThrow({ where: { id: applicationId }, select: { oidcUpdatedAt: true } })).oidcUpdatedAt;
}
