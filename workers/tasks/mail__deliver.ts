import type { Task } from "graphile-worker";
import { db } from "@/server/db/client";
import { deliverMail } from "@/server/mail/deliver-mail";
import { taskPayloads } from "@/server/queue/payloads";

/** Sends one outbox mail over SMTP, or to this log with MAIL_TO_LOG (only enqueued when one is set); failures retry with backoff. */
const mailDeliver: Task = async (payload, helpers) => {
  const { mailId } = taskPayloads.mail__deliver.parse(payload);
  const outcome = await deliverMail(db(), BigInt(mailId), (line) => helpers.logger.info(line));
  helpers.logger.info(`Mail ${mailId}: ${outcome}`);
};

export default mailDeliver;
