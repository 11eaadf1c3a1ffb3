import type { TTransaction } from "@/server/db/client";
import { taskPayloads, type TTaskName, type TTaskPayload } from "@/workers/payloads";

export type TEnqueueOptions = {
  runAt?: Date;
  /** Jobs with the same key replace each other (dedupe / reschedule). */
  jobKey?: string;
  jobKeyMode?: "replace" | "preserve_run_at" | "unsafe_dedupe";
  maxAttempts?: number;
  priority?: number;
};

/**
 * Adds a job inside the caller's transaction: it exists only if that
 * transaction commits. graphile-worker's JS addJob uses its own connection,
 * which would not roll back with the change that caused the job.
 */
export async function enqueue<TName extends TTaskName>(
  tx: TTransaction,
  task: TName,
  payload: TTaskPayload<TName>,
  options: TEnqueueOptions = {},
): Promise<void> {
  const parsed: unknown = taskPayloads[task].parse(payload);
  await tx.$executeRaw`
    SELECT graphile_worker.add_job(
      ${task},
      ${JSON.stringify(parsed)}::json,
      run_at => ${options.runAt ?? null}::timestamptz,
      max_attempts => ${options.maxAttempts ?? null}::int,
      job_key => ${options.jobKey ?? null}::text,
      priority => ${options.priority ?? null}::int,
      job_key_mode => ${options.jobKeyMode ?? "replace"}::text
    )`;
}
