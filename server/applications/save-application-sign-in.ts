import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { ConflictError, InvalidTransitionError } from "@/server/errors";
import { assertOwnerWithStepUp, lockApplication, storedSettings, type TApplicationSignInActor, type TLockedApplication } from "@/server/applications/sign-in-authority";
import { issueClientSecret, newClientId } from "@/server/applications/client-secrets";
import { LIFETIME_FIELDS, settingsChanges } from "@/server/applications/settings-changes";
import { ZOidcSettingsInput, type TOidcSettingsInput, type TOidcSettingsValues } from "@/server/applications/oidc-settings-schemas";

// Enabling an application's sign-in and changing its settings: one form, two
// services. Each locks the application's row, checks the version the form
// started from, writes the settings and its audit event in one transaction.
// A secret made here (a confidential client's first one) is returned once.

export type TSignInSaved = { clientId: string; secret: string | null; oidcUpdatedAt: Date };

function settingsOf(input: TOidcSettingsValues) {
  const { clientType, redirectUris, postLogoutRedirectUris, backchannelLogoutUri, firstParty, accessTokenTtlSeconds, idTokenTtlSeconds, refreshTokenTtlSeconds, claimSets } = input;
  return { clientType, redirectUris, postLogoutRedirectUris, backchannelLogoutUri, firstParty, accessTokenTtlSeconds, idTokenTtlSeconds, refreshTokenTtlSeconds, claimSets };
}

function assertSameVersion(row: TLockedApplication, expected: Date | null): void {
  const stored = row.oidc_updated_at?.getTime() ?? null;
  if (stored === (expected?.getTime() ?? null)) return;
  throw new ConflictError(
    `Someone changed the sign-in settings of ${row.name}${row.oidc_updated_at ? ` at ${row.oidc_updated_at.toISOString()}` : ""} after you opened them. Reload to see their changes, then edit again.`,
  );
}

async function writeSettings(tx: TTransaction, applicationId: bigint, clientId: string, values: ReturnType<typeof settingsOf>) {
  const { clientType, ...columns } = values;
  const now = new Date();
  const row = await tx.application.update({
    where: { id: applicationId },
    data: { oidcClientId: clientId, oidcClientType: clientType, ...columns, oidcUpdatedAt: now, updatedAt: now },
    select: { oidcUpdatedAt: true },
  });
  return row.oidcUpdatedAt!;
}

/** Makes the application a sign-in client: a new client id and, for a confidential client, its first secret. */
export async function enableApplicationSignIn(db: TDatabase, actor: TApplicationSignInActor, rawInput: TOidcSettingsInput): Promise<TSignInSaved> {
  const input = ZOidcSettingsInput.parse(rawInput);
  return db.$transaction(async (tx) => {
    await assertOwnerWithStepUp(tx, actor, "applications.sign_in");
    const row = await lockApplication(tx, actor.tenantId, BigInt(input.applicationId));
    if (row.oidc_client_id) throw new ConflictError(`Sign-in is already enabled for ${row.name}`);
    assertSameVersion(row, input.expectedUpdatedAt);
    const values = settingsOf(input);
    const clientId = newClientId();
    const oidcUpdatedAt = await writeSettings(tx, row.id, clientId, values);
    const issued = values.clientType === "confidential" ? await issueClientSecret(tx, actor.tenantId, row.id, actor.memberId) : null;
    await recordAuditEvent(tx, actor, {
      action: "application.sign_in_enabled",
      targetType: "application",
      targetId: row.id,
      changes: { clientId: { before: null, after: clientId }, ...settingsChanges({}, values), ...(issued ? { clientSecret: { before: null, after: `…${issued.hint}` } } : {}) },
    });
    return { clientId, secret: issued?.secret ?? null, oidcUpdatedAt };
  });
}

/**
 * Changes the settings of an application that signs in. Where its tokens go
 * and what they carry is sensitive (a step-up); lifetimes within the caps are
 * not. Becoming public drops the secrets (a public client has none); becoming
 * confidential issues the first one, returned once.
 */
export async function updateApplicationSignIn(db: TDatabase, actor: TApplicationSignInActor, rawInput: TOidcSettingsInput): Promise<TSignInSaved> {
  const input = ZOidcSettingsInput.parse(rawInput);
  return db.$transaction(async (tx) => {
    await assertOwnerWithStepUp(tx, actor, null);
    const row = await lockApplication(tx, actor.tenantId, BigInt(input.applicationId));
    if (!row.oidc_client_id) throw new InvalidTransitionError(`Sign-in is not enabled for ${row.name}: enable it first`);
    assertSameVersion(row, input.expectedUpdatedAt);
    const values = settingsOf(input);
    const changes = settingsChanges(storedSettings(row), values);
    if (Object.keys(changes).length === 0) return { clientId: row.oidc_client_id, secret: null, oidcUpdatedAt: row.oidc_updated_at ?? new Date() };
    if (Object.keys(changes).some((field) => !LIFETIME_FIELDS.has(field))) await assertOwnerWithStepUp(tx, actor, "applications.sign_in");
    const oidcUpdatedAt = await writeSettings(tx, row.id, row.oidc_client_id, values);
    let issued: Awaited<ReturnType<typeof issueClientSecret>> | null = null;
    if ("clientType" in changes && values.clientType === "public") {
      const dropped = await tx.applicationClientSecret.deleteMany({ where: { applicationId: row.id } });
      changes.clientSecrets = { before: dropped.count, after: 0 };
    }
    if ("clientType" in changes && values.clientType === "confidential") {
      issued = await issueClientSecret(tx, actor.tenantId, row.id, actor.memberId);
      changes.clientSecret = { before: null, after: `…${issued.hint}` };
    }
    await recordAuditEvent(tx, actor, { action: "application.sign_in_updated", targetType: "application", targetId: row.id, changes });
    return { clientId: row.oidc_client_id, secret: issued?.secret ?? null, oidcUpdatedAt };
  });
}
