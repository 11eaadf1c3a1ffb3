import { taskPayloads, type TTaskName, type TTaskPayload } from "@/server/queue/payloads";
import type { TSqlTransaction } from "@/server/db/sql-transaction";

export type TEnqueueOptions = {
  runAt?: Date;
  /** Jobs with the same key replace each other (dedupe / reschedule). */
  jobKey?: string;
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
  /** Jobs of one queue run one at a time, in order (e.g. one member's changes at one application). */
  queueName?: string;
  maxAttempts?: number;
  priority?: number;
};

/**
 * Adds a job inside the caller's transaction: it exists only if that
 * transaction commits. graphile-worker's JS addJob uses its own connection,
 * which would not roll back with the change that caused the job.
 */
export async function enqueue<TName extends TTaskName>(
  tx: TSqlTransaction,
  task: TName,
  payload: TTaskPayload<TName>,
  options: TEnqueueOptions = {},
): Promise<void> {
  const parsed: unknown = taskPayloads[task].parse(payload);
  await tx.$executeRaw`
    SELECT graphile_worker.add_job(
      ${task},
      ${JSON.stringify(parsed)}::json,
      queue_name => ${options.queueName ?? null}::text,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text,
      priority => ${options.priority ?? null}::int,
      job_key_mode => ${options.jobKeyMode ?? "replace"}::text
    )`;
}

/**
 * Many jobs of one task in one statement (graphile-worker's add_jobs), inside
 * the caller's transaction: bulk actions schedule thousands without a round
 * trip each. Keys replace earlier jobs with the same key, as with enqueue().
 */
export async function enqueueMany<TName extends TTaskName>(
  tx: TSqlTransaction,
  task: TName,
  jobs: { payload: TTaskPayload<TName>; runAt?: Date; jobKey?: string }[],
  options: { maxAttempts?: number } = {},
): Promise<void> {
  if (jobs.length === 0) return;
  const payloads = jobs.map((job) => JSON.stringify(taskPayloads[task].parse(job.payload)));
  const runAts = jobs.map((job) => job.runAt ?? null);
  const keys = jobs.map((job) => job.jobKey ?? null);
  await tx.$executeRaw`
    SELECT graphile_worker.add_jobs(array_agg((${task}, j.payload::json, NULL, j.run_at, ${options.maxAttempts ?? null}::int, j.job_key, NULL, NULL)::graphile_worker.job_spec))
    FROM unnest(${payloads}::text[], ${runAts}::timestamptz[], ${keys}::text[]) AS j(payload, run_at, job_key)`;
}

/** Cancels scheduled jobs by key (a no-op for keys with no job); in the caller's transaction. */
export async function cancelJobs(tx: TSqlTransaction, jobKeys: string[]): Promise<void> {
  if (jobKeys.length === 0) return;
  await tx.$executeRaw`SELECT graphile_worker.remove_job(k) FROM unnest(${jobKeys}::text[]) AS k`;
}
