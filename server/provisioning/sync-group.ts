import type { TDatabase, TTransaction } from "@/server/db/client";
import { enqueue } from "@/server/queue/enqueue";
import { loadScimSettings, type TLoadedScimSettings } from "@/server/provisioning/scim-endpoint";
import { scimRequest, scimString, ScimError, type TScimEndpoint } from "@/server/provisioning/scim-client";
import { PATCH_OP_SCHEMA } from "@/server/provisioning/scim-user";
import { awaitPeerTurn, backoffSeconds, MAX_ATTEMPTS } from "@/server/provisioning/sync-member-account";

// The job of one (application, group) when the application's settings push
// groups: the peer's SCIM Group (RFC 7643 section 4.2) is made what Tenure
// holds now. It exists while at least one of the group's members has an open
// account there, named as the group is, with exactly those accounts as its
// members (added and removed by PATCH after reading the peer's list, so a
// member added at the peer by hand is removed too: Tenure owns the group); a
// group deleted in Tenure, or left without accounts, is deleted there. Like
// the members' jobs it converges instead of replaying, runs one at a time per
// pair, and retries a failing peer with backoff; after MAX_ATTEMPTS the
// peer's error stays on the group's row (no dead letter: the next change of
// the group, or "Retry groups", runs it again).

export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

export type TGroupSyncOutcome = "skipped" | "created" | "updated" | "unchanged" | "deleted" | "retry" | "failed";

export const groupJobKey = (applicationId: bigint, groupId: bigint) => `scim-group:${applicationId}:${groupId}`;

export async function enqueueGroupSync(tx: TTransaction, applicationId: bigint, groupId: bigint, attempt = 0, runAt?: Date): Promise<void> {
  const key = groupJobKey(applicationId, groupId);
  await enqueue(tx, "provisioning__sync_group", { applicationId: applicationId.toString(), groupId: groupId.toString(), ...(attempt > 0 ? { attempt } : {}) }, { jobKey: key, queueName: key, ...(runAt ? { runAt } : {}) });
}

/** Every group of the application's members with an open account there: one job each, one statement (push turned on). */
export async function enqueueAllGroups(tx: TTransaction, applicationId: bigint): Promise<number> {
  const [row] = await tx.$queryRaw<{ groups: number }[]>`
    WITH pairs AS (
      SELECT DISTINCT mg.group_id FROM member_groups mg
      JOIN member_provisioning p ON p.user_id = mg.user_id AND p.application_id = ${applicationId} AND p.status = 'provisioned' AND p.remote_id IS NOT NULL
      UNION SELECT group_id FROM provisioning_groups WHERE application_id = ${applicationId})
    SELECT (SELECT count(*) FROM pairs)::int AS groups, tenure_provisioning_enqueue_groups(ARRAY(SELECT ARRAY[${applicationId}::bigint, group_id] FROM pairs))::text AS enqueued`;
  return row?.groups ?? 0;
}

export async function syncGroup(db: TDatabase, applicationId: bigint, groupId: bigint, attempt = 0): Promise<TGroupSyncOutcome> {
  const settings = await loadScimSettings(db, applicationId);
  if (!settings?.enabled || !settings.pushGroups) return "skipped";
  const limit = await awaitPeerTurn(db, applicationId, settings.rateLimit);
  if (!limit.allowed) {
    await db.$transaction((tx) => enqueueGroupSync(tx, applicationId, groupId, attempt, new Date(Date.now() + limit.retryAfterSeconds * 1000)));
    return "retry";
  }
  try {
    return await converge(db, settings, groupId);
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    const message = error.message.slice(0, 300);
    const attempts = attempt + 1;
    const row = { applicationId, groupId, tenantId: settings.tenantId };
    await db.$transaction(async (tx) => {
      await tx.provisioningGroup.upsert({
        where: { applicationId_groupId: { applicationId, groupId } },
        create: { ...row, lastError: message },
        update: { lastError: message, updatedAt: new Date() },
      });
      if (error.retryable && attempts < MAX_ATTEMPTS) await enqueueGroupSync(tx, applicationId, groupId, attempts, new Date(Date.now() + backoffSeconds(attempt, error.retryAfterSeconds) * 1000));
    });
    return error.retryable && attempts < MAX_ATTEMPTS ? "retry" : "failed";
  }
}

type TRemoteGroup = { id: string; displayName: string | null; members: Set<string> };

function remoteGroupOf(body: unknown): TRemoteGroup | null {
  const group = (typeof body === "object" && body !== null ? body : {}) as { id?: unknown; displayName?: unknown; members?: unknown };
  if (typeof group.id !== "string" || group.id.length === 0 || group.id.length > 200) return null;
  const members = Array.isArray(group.members) ? group.members.flatMap((member) => (typeof (member as { value?: unknown })?.value === "string" ? [(member as { value: string }).value] : [])) : [];
  return { id: group.id, displayName: typeof group.displayName === "string" ? group.displayName : null, members: new Set(members) };
}

async function readRemoteGroup(endpoint: TScimEndpoint, remoteId: string): Promise<TRemoteGroup | null> {
  try {
    return remoteGroupOf((await scimRequest(endpoint, "GET", `/Groups/${encodeURIComponent(remoteId)}`)).body);
  } catch (error) {
    if (error instanceof ScimError && error.status === 404) return null;
    throw error;
  }
}

/** A group created before whose answer was lost carries Tenure's group id as externalId. */
async function findRemoteGroup(endpoint: TScimEndpoint, groupId: bigint): Promise<TRemoteGroup | null> {
  const query = new URLSearchParams({ filter: `externalId eq ${scimString(groupId.toString())}`, startIndex: "1", count: "2" });
  const { body } = await scimRequest(endpoint, "GET", `/Groups?${query.toString()}`);
  const resources = (body as { Resources?: unknown } | null)?.Resources;
  const first: unknown = Array.isArray(resources) ? (resources as unknown[])[0] : null;
  const found = remoteGroupOf(first);
  return found ? ((await readRemoteGroup(endpoint, found.id)) ?? found) : null;
}

async function converge(db: TDatabase, settings: TLoadedScimSettings, groupId: bigint): Promise<TGroupSyncOutcome> {
  const { applicationId, tenantId, endpoint } = settings;
  const key = { applicationId_groupId: { applicationId, groupId } };
  const state = await db.provisioningGroup.findUnique({ where: key });
  const group = await db.group.findFirst({ where: { id: groupId, tenantId }, select: { name: true } });
  const accounts = group
    ? await db.$queryRaw<{ remote_id: string }[]>`
        SELECT p.remote_id FROM member_groups mg
        JOIN member_provisioning p ON p.user_id = mg.user_id AND p.application_id = ${applicationId} AND p.status = 'provisioned' AND p.remote_id IS NOT NULL
        WHERE mg.group_id = ${groupId} ORDER BY p.remote_id`
    : [];

  if (!group || accounts.length === 0) {
    if (state?.remoteId) {
      try {
        await scimRequest(endpoint, "DELETE", `/Groups/${encodeURIComponent(state.remoteId)}`);
      } catch (error) {
        if (!(error instanceof ScimError && error.status === 404)) throw error;
      }
    }
    await db.provisioningGroup.deleteMany({ where: { applicationId, groupId } });
    return state ? "deleted" : "unchanged";
  }

  const wanted = accounts.map((account) => account.remote_id);
  let remote = state?.remoteId ? await readRemoteGroup(endpoint, state.remoteId) : null;
  remote ??= await findRemoteGroup(endpoint, groupId);
  let outcome: TGroupSyncOutcome;
  if (!remote) {
    const created = await scimRequest(endpoint, "POST", "/Groups", {
      schemas: [GROUP_SCHEMA],
      displayName: group.name,
      externalId: groupId.toString(),
      members: wanted.map((value) => ({ value, type: "User" })),
    });
    remote = remoteGroupOf(created.body);
    if (!remote) throw new ScimError("The application created the group but sent no id", created.status, false);
    outcome = "created";
  } else {
    const wantedSet = new Set(wanted);
    const add = wanted.filter((value) => !remote!.members.has(value));
    const remove = [...remote.members].filter((value) => !wantedSet.has(value));
    const operations = [
      ...(remote.displayName !== group.name ? [{ op: "replace", path: "displayName", value: group.name }] : []),
      ...(add.length > 0 ? [{ op: "add", path: "members", value: add.map((value) => ({ value, type: "User" })) }] : []),
      ...remove.map((value) => ({ op: "remove", path: `members[value eq ${scimString(value)}]` })),
    ];
    if (operations.length > 0) await scimRequest(endpoint, "PATCH", `/Groups/${encodeURIComponent(remote.id)}`, { schemas: [PATCH_OP_SCHEMA], Operations: operations });
    outcome = operations.length > 0 ? "updated" : "unchanged";
  }
  await db.provisioningGroup.upsert({
    where: key,
    create: { applicationId, groupId, tenantId, remoteId: remote.id },
    update: { remoteId: remote.id, lastError: null, updatedAt: new Date() },
  });
  return outcome;
}
