import nodemailer from "nodemailer";
import type { TDatabase } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { deliveredText } from "@/server/mail/secret-link";

let transport: nodemailer.Transporter | undefined;

function smtpTransport(url: string): nodemailer.Transporter {
  transport ??= nodemailer.createTransport(url);
  return transport;
}

/**
 * Delivers one queued outbox mail (the mail__deliver job): over SMTP, or,
 * for a trial without SMTP that set MAIL_TO_LOG, into the worker's log. The
 * secret link goes into the text sent and its sealed copy is wiped in the same
 * update that marks the mail delivered, so a delivered mail's row holds no
 * live secret. A mail already delivered is left alone, so a retried job does
 * not send it twice; a crash between the relay's acceptance and our update can
 * still resend it once (at-least-once, as with any SMTP client).
 */
export async function deliverMail(db: TDatabase, mailId: bigint, log: (line: string) => void): Promise<"sent" | "logged" | "skipped"> {
  const mail = await db.outboxMail.findUnique({ where: { id: mailId } });
  if (!mail || mail.status === "sent" || mail.status === "logged") return "skipped";
  const { SMTP_URL, MAIL_FROM, MAIL_TO_LOG } = serverEnv();
  if (!SMTP_URL && !MAIL_TO_LOG) return "skipped";
  const text = deliveredText(mail);
  if (!SMTP_URL) {
    log(`Mail to ${mail.toAddress} (MAIL_TO_LOG is on, no SMTP_URL): ${mail.subject}\n${text}`);
    await db.outboxMail.update({ where: { id: mailId }, data: { status: "logged", sentAt: new Date(), attempts: { increment: 1 }, sealedLink: null } });
    return "logged";
  }
  try {
    await smtpTransport(SMTP_URL).sendMail({ from: MAIL_FROM, to: mail.toAddress, subject: mail.subject, text });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    await db.outboxMail.update({ where: { id: mailId }, data: { attempts: { increment: 1 }, lastError: message.slice(0, 500) } });
    throw error;
  }
  await db.outboxMail.update({ where: { id: mailId }, data: { status: "sent", sentAt: new Date(), attempts: { increment: 1 }, lastError: null, sealedLink: null } });
  return "sent";
}
