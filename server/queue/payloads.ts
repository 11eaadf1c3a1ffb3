import { z } from "zod";

// The payload schema of every task, by task name (= the file name in tasks/).
// Enqueue validates before writing; each task parses again before acting,
// because a job row can outlive the code that wrote it.

/** Crontab jobs carry a `_cron` entry; tasks without input accept only that. */
const ZNoPayload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional() }).strict();

/** An alert job names at most this many of its statement's events (a bulk action over more says how many in `total`). */
export const MAX_ALERT_EVENT_IDS = 10_000;

/**
 * Back-channel logouts one job delivers (rows of one application): a bulk
 * disable of 10,000 members at 5 applications is 1,000 jobs, not 50,000.
 */
export const MAX_LOGOUTS_PER_JOB = 50;

/** Ids travel as decimal strings: JSON has no bigint. */
const ZJobId = z.string().regex(/^[1-9][0-9]{0,18}$/, "an id");

export const taskPayloads = {
  session__delete_expired: ZNoPayload,
  members__mark_offline: ZNoPayload,
  status__refresh_snapshots: ZNoPayload,
  login_attempt__delete_old: ZNoPayload,
  rate_limits__prune_idle: ZNoPayload,
  workers__release_dead_locks: ZNoPayload,
  member__activate: z.object({ memberId: ZJobId }).strict(),
  member__lock: z.object({ memberId: ZJobId }).strict(),
  member__unlock: z.object({ memberId: ZJobId }).strict(),
  member__resign: z.object({ memberId: ZJobId }).strict(),
  member__hard_delete: z.object({ memberId: ZJobId }).strict(),
  member__revoke_sessions: z.object({ memberIds: z.array(ZJobId).min(1).max(10_000), receiptIds: z.array(ZJobId).max(10_000) }).strict(),
  lifecycle__catch_up: ZNoPayload,
  department__compact_counts: ZNoPayload,
  access__sweep_profiles: ZNoPayload,
  password__remind_expiry: z.object({ memberId: ZJobId, daysBefore: z.number().int().min(1).max(365) }).strict(),
  password__expiry_reminder_sweep: ZNoPayload,
  mail__deliver: z.object({ mailId: ZJobId }).strict(),
  auth__password_reset_request: z
    .object({ organisation: z.string().max(100), login: z.string().max(100), ipAddress: z.string().max(45).nullable(), userAgent: z.string().max(512).nullable() })
    .strict(),
  members__import_apply: z.object({ importId: ZJobId }).strict(),
  members__import_resume_stalled: ZNoPayload,
  members__import_purge: ZNoPayload,
  directory__sync: z.object({ runId: ZJobId }).strict(),
  directory__sync_due: ZNoPayload,
  // One back-channel logout token for one row of application_logout_deliveries (the row holds the rest).
  // Up to MAX_LOGOUTS_PER_JOB rows of one application; `deliveryId`: one row, as jobs queued before batching carry.
  application__deliver_backchannel_logout: z.union([
    z.object({ deliveryIds: z.array(ZJobId).min(1).max(MAX_LOGOUTS_PER_JOB) }).strict(),
    z.object({ deliveryId: ZJobId }).strict(),
  ]),
  // The events of one audit statement (a bulk action writes one per member): one alert.
  // A statement of more events carries its first MAX_ALERT_EVENT_IDS and the total.
  alerts__deliver: z.object({ eventIds: z.array(ZJobId).min(1).max(MAX_ALERT_EVENT_IDS), total: z.number().int().min(1).optional() }).strict(),
  // One attempt to deliver one webhook message to one endpoint; `replay`: an admin's manual resend (not rescheduled when it fails).
  webhooks__deliver: z.object({ deliveryId: ZJobId, replay: z.boolean().optional() }).strict(),
  webhooks__purge: ZNoPayload,
  // One (application, member) pair brought in line with what the member should have; `attempt` counts retries of a failing peer.
  provisioning__sync_member: z.object({ applicationId: ZJobId, memberId: ZJobId, attempt: z.number().int().min(0).max(100).optional() }).strict(),
  provisioning__sync_group: z.object({ applicationId: ZJobId, groupId: ZJobId, attempt: z.number().int().min(0).max(100).optional() }).strict(),
  provisioning__reconcile: z.object({ reconciliationId: ZJobId }).strict(),
  provisioning__reconcile_due: ZNoPayload,
} as const;

export type TTaskName = keyof typeof taskPayloads;
export type TTaskPayload<TName extends TTaskName> = z.input<(typeof taskPayloads)[TName]>;
