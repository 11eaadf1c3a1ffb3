import { listUsersPage, scimRequest, scimString, ScimError, type TScimEndpoint } from "@/server/provisioning/scim-client";
import { deactivatePatch, replacePatch, type TScimUser } from "@/server/provisioning/scim-user";

// The calls that make one account at the peer what Tenure wants. Each is safe
// to repeat: a create that already happened (the answer was lost, the job ran
// again) finds the account by externalId or userName and links it.

const idOf = (body: unknown): string | null => {
  const id = typeof body === "object" && body !== null ? (body as { id?: unknown }).id : null;
  return typeof id === "string" && id.length > 0 && id.length <= 200 ? id : null;
};

/** The peer's account for this member: by externalId (the Tenure member id), then by userName. */
export async function findRemoteAccount(endpoint: TScimEndpoint, user: TScimUser): Promise<string | null> {
  for (const filter of [`externalId eq ${scimString(user.externalId)}`, `userName eq ${scimString(user.userName)}`]) {
    const page = await listUsersPage(endpoint, 1, 2, filter);
    const found = page.resources.map(idOf).find((id) => id !== null);
    if (found) return found;
  }
  return null;
}

/** Creates or links the account and sends the member's attributes (removing the `cleared` ones); returns the peer's id. */
export async function upsertRemoteAccount(endpoint: TScimEndpoint, knownId: string | null, user: TScimUser, cleared: string[] = []): Promise<string> {
  const existing = knownId ?? (await findRemoteAccount(endpoint, user));
  if (existing) {
    try {
      await scimRequest(endpoint, "PATCH", `/Users/${encodeURIComponent(existing)}`, replacePatch(user, cleared));
      return existing;
    } catch (error) {
      // Deleted at the peer meanwhile: created again below.
      if (!(error instanceof ScimError && error.status === 404)) throw error;
    }
  }
  try {
    const created = await scimRequest(endpoint, "POST", "/Users", user);
    const id = idOf(created.body);
    if (!id) throw new ScimError("The application created the account but sent no id", created.status, false);
    return id;
  } catch (error) {
    if (!(error instanceof ScimError && error.status === 409)) throw error;
    const found = await findRemoteAccount(endpoint, user);
    if (!found) throw error;
    await scimRequest(endpoint, "PATCH", `/Users/${encodeURIComponent(found)}`, replacePatch(user, cleared));
    return found;
  }
}

/** active: false. An account already gone counts as closed. */
export async function deactivateRemoteAccount(endpoint: TScimEndpoint, remoteId: string): Promise<"deactivated" | "gone"> {
  try {
    await scimRequest(endpoint, "PATCH", `/Users/${encodeURIComponent(remoteId)}`, deactivatePatch());
    return "deactivated";
  } catch (error) {
    if (error instanceof ScimError && error.status === 404) return "gone";
    throw error;
  }
}

export async function deleteRemoteAccount(endpoint: TScimEndpoint, remoteId: string): Promise<void> {
  try {
    await scimRequest(endpoint, "DELETE", `/Users/${encodeURIComponent(remoteId)}`);
  } catch (error) {
    if (!(error instanceof ScimError && error.status === 404)) throw error;
  }
}
