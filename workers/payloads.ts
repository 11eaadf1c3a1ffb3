import { z } from "zod";

// The payload schema of every task, by task name (= the file name in tasks/).
// Enqueue validates before writing; each task parses again before acting,
// because a job row can outlive the code that wrote it.

/** Crontab jobs carry a `_cron` entry; tasks without input accept only that. */
const ZNoPayload = z.object({ _cron: z.object({ ts: z.string(), backfilled: z.boolean().optional() }).optional() }).strict();

export const taskPayloads = {
  session__delete_expired: ZNoPayload,
} as const;

export type TTaskName = keyof typeof taskPayloads;
export type TTaskPayload<TName extends TTaskName> = z.input<(typeof taskPayloads)[TName]>;
