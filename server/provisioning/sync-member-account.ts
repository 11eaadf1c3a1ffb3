import type { TDatabase, TTransaction } from "@/server/db/client";
import { enqueue } from "@/server/queue/enqueue";
import { setTimeout as sleep } from "node:timers/promises";
import { reserveToken, reserveTokenSql, retryAfterSeconds, turnOf, type TRateLimit, type TReservation } from "@/server/rate-limits/token-bucket";
import { Prisma } from "@/server/db/generated/client";
import { SCIM_RATE_LIMIT } from "@/server/provisioning/schemas";
import type { TLoadedScimSettings } from "@/server/provisioning/scim-endpoint";
import { readSyncPair, type TSyncPair } from "@/server/provisioning/read-sync-pair";
import { ScimError } from "@/server/provisioning/scim-client";
import { clearedPaths, representationHash, scimUserOf } from "@/server/provisioning/scim-user";
import { deactivateRemoteAccount, deleteRemoteAccount, upsertRemoteAccount } from "@/server/provisioning/remote-account";
import { recordClosed, recordProvisioned } from "@/server/provisioning/record-sync";

// The job of one (application, member) pair: make the peer's account what the
// member should have now (created or linked, updated, deactivated or deleted).
// Converging on the present instead of replaying each change is what keeps
// order: a job that runs late sends today's truth, never an older one, and the
// pair's queue (syncJobOptions) runs one at a time. A failing peer is retried
// with backoff (longer when it sends Retry-After); after MAX_ATTEMPTS, or at
// once for an answer retrying cannot change (a 4xx), the pair is a dead letter.

export const MAX_ATTEMPTS = 8;
const BACKOFF_BASE_SECONDS = 5;
const BACKOFF_CAP_SECONDS = 3600;
/** Per application, unless its settings say otherwise (rate_limit_per_second): what it is asked at most (bursts up to the capacity). */
export const PEER_RATE_LIMIT = { capacity: SCIM_RATE_LIMIT.default, perSeconds: 1 } as const;

/** How long a job may wait for its turn under that limit while holding its worker slot; a later turn re-queues the job. */
const MAX_TURN_WAIT_SECONDS = 2;

const peerBucket = (applicationId: bigint) => `scim:${applicationId}`;

/**
 * The application's next turn to be called: waited for here when it is near (the peer sees a steady rate,
 * no burst of refusals), or refused with when to come back.
 */
export async function awaitPeerTurn(db: TDatabase, applicationId: bigint, limit: TRateLimit): Promise<TReservation> {
  return waitOff(await reserveToken(db, peerBucket(applicationId), limit, MAX_TURN_WAIT_SECONDS));
}

/** The application's own limit, read in the statement that takes the turn (the default when it has no settings). */
const applicationLimitSql = (applicationId: bigint) => ({
  capacity: Prisma.sql`coalesce((SELECT rate_limit_per_second FROM application_scim_settings WHERE application_id = ${applicationId}), ${PEER_RATE_LIMIT.capacity})`,
  perSeconds: 1,
});

async function waitOff(turn: TReservation): Promise<TReservation> {
  if (turn.allowed && turn.waitSeconds > 0) await sleep(Math.ceil(turn.waitSeconds * 1000));
  return turn;
}

export type TSyncOutcome = "skipped" | "unchanged" | "provisioned" | "deactivated" | "deleted" | "retry" | "dead_letter";

export const syncJobKey = (applicationId: bigint, memberId: bigint) => `scim:${applicationId}:${memberId}`;

/** The pair's job key and queue, as the triggers of the migration name them. */
export function syncJobOptions(applicationId: bigint, memberId: bigint, runAt?: Date) {
  const key = syncJobKey(applicationId, memberId);
  return { jobKey: key, queueName: key, ...(runAt ? { runAt } : {}) };
}

export async function enqueueMemberSync(tx: TTransaction, applicationId: bigint, memberId: bigint, attempt = 0, runAt?: Date): Promise<void> {
  await enqueue(tx, "provisioning__sync_member", { applicationId: applicationId.toString(), memberId: memberId.toString(), ...(attempt > 0 ? { attempt } : {}) }, syncJobOptions(applicationId, memberId, runAt));
}

export function backoffSeconds(attempt: number, retryAfterSeconds: number | null): number {
  const backoff = Math.min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** attempt);
  return Math.max(backoff, retryAfterSeconds ?? 0);
}

export async function syncMemberAccount(db: TDatabase, applicationId: bigint, memberId: bigint, attempt = 0): Promise<TSyncOutcome> {
  // The job's turn under the application's limit is taken in the same statement as its read.
  const now = new Date();
  const { pair, turnTokens } = await readSyncPair(applicationId, memberId, reserveTokenSql(peerBucket(applicationId), applicationLimitSql(applicationId), MAX_TURN_WAIT_SECONDS, now));
  if (!pair?.settings.enabled) return "skipped";
  const { settings } = pair;
  const limit = await waitOff(turnOf(turnTokens, settings.rateLimit) ?? { allowed: false, retryAfterSeconds: await retryAfterSeconds(db, peerBucket(applicationId), settings.rateLimit, now) });
  if (!limit.allowed) {
    await db.$transaction((tx) => enqueueMemberSync(tx, applicationId, memberId, attempt, new Date(Date.now() + limit.retryAfterSeconds * 1000)));
    return "retry";
  }
  try {
    return await converge(db, pair, memberId);
  } catch (error) {
    if (!(error instanceof ScimError)) throw error;
    return failed(db, settings, memberId, attempt, error);
  }
}

// No transaction is open while the peer is called: the reads before the call
// and the write after it are one statement each (a pair's jobs run one at a
// time, so nothing else writes the pair's row in between).
async function converge(db: TDatabase, { settings, state, desired, closingReceiptId }: TSyncPair, memberId: bigint): Promise<TSyncOutcome> {
  const { applicationId, endpoint } = settings;

  if (!desired) {
    // Erased (hard delete): the account goes whatever the setting says.
    if (state?.remoteId) await deleteRemoteAccount(endpoint, state.remoteId);
    await db.$transaction([db.memberProvisioning.deleteMany({ where: { applicationId, userId: memberId } }), clearDeadLetter(db, applicationId, memberId)]);
    return "deleted";
  }

  if (desired.wanted) {
    const user = scimUserOf(desired.member, settings.mapping);
    const hash = representationHash(user);
    if (state?.status === "provisioned" && state.remoteId && state.lastSentHash === hash) return "unchanged";
    const knownId = state?.status === "deleted" ? null : (state?.remoteId ?? null);
    const remoteId = await upsertRemoteAccount(endpoint, knownId, user, clearedPaths(user, settings.mapping));
    await recordProvisioned(settings, memberId, remoteId, hash);
    return "provisioned";
  }

  // Not wanted: close an account Tenure made or linked; one never made needs nothing.
  if (!state?.remoteId || state.status === "deleted" || (state.status === "deactivated" && settings.deprovisionMode === "deactivate")) {
    if (state && !state.remoteId) await db.memberProvisioning.deleteMany({ where: { applicationId, userId: memberId } });
    await clearDeadLetter(db, applicationId, memberId);
    return "unchanged";
  }
  const closedAt = new Date();
  let outcome: "deactivated" | "deleted";
  if (settings.deprovisionMode === "delete") {
    await deleteRemoteAccount(endpoint, state.remoteId);
    outcome = "deleted";
  } else {
    outcome = (await deactivateRemoteAccount(endpoint, state.remoteId)) === "gone" ? "deleted" : "deactivated";
  }
  await recordClosed(applicationId, memberId, outcome === "deleted" ? null : state.remoteId, outcome, closedAt, closingReceiptId);
  return outcome;
}

const clearDeadLetter = (db: TDatabase | TTransaction, applicationId: bigint, memberId: bigint) =>
  db.provisioningDeadLetter.deleteMany({ where: { applicationId, userId: memberId } });

async function failed(db: TDatabase, settings: TLoadedScimSettings, memberId: bigint, attempt: number, error: ScimError): Promise<TSyncOutcome> {
  const { applicationId, tenantId } = settings;
  const message = error.message.slice(0, 300);
  const attempts = attempt + 1;
  const pair = { applicationId_userId: { applicationId, userId: memberId } };
  if (error.retryable && attempts < MAX_ATTEMPTS) {
    const runAt = new Date(Date.now() + backoffSeconds(attempt, error.retryAfterSeconds) * 1000);
    await db.$transaction(async (tx) => {
      await tx.memberProvisioning.updateMany({ where: { applicationId, userId: memberId }, data: { lastError: message, updatedAt: new Date() } });
      await enqueueMemberSync(tx, applicationId, memberId, attempts, runAt);
    });
    return "retry";
  }
  await db.$transaction([
    db.memberProvisioning.upsert({
      where: pair,
      create: { applicationId, userId: memberId, tenantId, status: "failed", lastError: message },
      update: { status: "failed", lastError: message, updatedAt: new Date() },
    }),
    db.provisioningDeadLetter.upsert({
      where: { applicationId_userId: { applicationId, userId: memberId } },
      create: { tenantId, applicationId, userId: memberId, error: message, attempts },
      update: { error: message, attempts, failedAt: new Date() },
    }),
  ]);
  return "dead_letter";
}
