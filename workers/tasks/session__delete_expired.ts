import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { deleteExpiredSessions } from "@/server/auth/delete-expired-sessions";
import { taskPayloads } from "@/server/queue/payloads";

/** Hourly (workers/crontab): removes sessions that can never be used again. Idempotent. */
const sessionDeleteExpired: Task = async (payload, helpers) => {
  taskPayloads.session__delete_expired.parse(payload ?? {});
  const deleted = await deleteExpiredSessions(db());
  helpers.logger.info(`Deleted ${deleted} expired session(s)`);
};

export default sessionDeleteExpired;
