import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { deleteOldLoginAttempts, LOGIN_HISTORY_RETENTION_DAYS } from "@/server/auth/delete-old-login-attempts";
import { taskPayloads } from "@/server/queue/payloads";

/** Daily (workers/crontab): removes login history older than the retention period. Idempotent. */
const loginAttemptDeleteOld: Task = async (payload, helpers) => {
  taskPayloads.login_attempt__delete_old.parse(payload ?? {});
  const deleted = await deleteOldLoginAttempts(db());
  helpers.logger.info(`Deleted ${deleted} sign-in attempt(s) older than ${LOGIN_HISTORY_RETENTION_DAYS} days`);
};

export default loginAttemptDeleteOld;
