import nodemailer from "nodemailer";
import type { TDatabase } from "@/server/db/client";
import { serverEnv } from "@/server/env";

let transport: nodemailer.Transporter | undefined;

function smtpTransport(url: string): nodemailer.Transporter {
  transport ??= nodemailer.createTransport(url);
  return transport;
}

/**
 * Sends one queued outbox mail over SMTP (the mail__deliver job). A mail
 * already sent is left alone, so a retried job does not send it twice; a crash
 * between the relay's acceptance and our update can still resend it once
 * (at-least-once, as with any SMTP client).
 */
export async function deliverMail(db: TDatabase, mailId: bigint): Promise<"sent" | "skipped"> {
  const mail = await db.outboxMail.findUnique({ where: { id: mailId } });
  if (!mail || mail.status === "sent") return "skipped";
  const { SMTP_URL, MAIL_FROM } = serverEnv();
  if (!SMTP_URL) return "skipped";
  try {
    await smtpTransport(SMTP_URL).sendMail({ from: MAIL_FROM, to: mail.toAddress, subject: mail.subject, text: mail.bodyText });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.outboxMail.update({ where: { id: mailId }, data: { attempts: { increment: 1 }, lastError: message.slice(0, 500) } });
    throw error;
  }
  await db.outboxMail.update({ where: { id: mailId }, data: { status: "sent", sentAt: new Date(), attempts: { increment: 1 }, lastError: null } });
  return "sent";
}
