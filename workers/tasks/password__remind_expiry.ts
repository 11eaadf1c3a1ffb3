import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { sendDuePasswordReminders } from "@/server/auth/password-expiry-reminders";
import { taskPayloads } from "@/server/queue/payloads";

/** One member's password-expiry reminder, scheduled N days before expiry; sent at most once. */
const passwordRemindExpiry: Task = async (payload, helpers) => {
  const { memberId } = taskPayloads.password__remind_expiry.parse(payload);
  const sent = await sendDuePasswordReminders(db(), BigInt(memberId));
  helpers.logger.info(sent > 0 ? "Password reminder sent" : "No password reminder due");
};

export default passwordRemindExpiry;
