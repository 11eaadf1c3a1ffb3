import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { sendDuePasswordReminders } from "@/server/auth/password-expiry-reminders";
import { taskPayloads } from "@/server/queue/payloads";

/** Hourly (workers/crontab): sends reminders whose job did not (downtime, an expiry set before the reminder settings changed). */
const passwordExpiryReminderSweep: Task = async (payload, helpers) => {
  taskPayloads.password__expiry_reminder_sweep.parse(payload ?? {});
  const sent = await sendDuePasswordReminders(db());
  if (sent > 0) helpers.logger.info(`Sent ${sent} overdue password reminder(s)`);
};

export default passwordExpiryReminderSweep;
