import type { TTransaction } from "@/server/db/client";
import { appUrl, sendMail } from "@/server/mail/send-mail";

const formatTime = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/**
 * Tells a member that sign-in to their account is throttled, once per
 * throttle (the gate starts a throttle only when none is running). The mail
 * goes to the member's own mailbox: whoever caused it learns nothing from it.
 */
export async function sendThrottleNotice(tx: TTransaction, memberId: bigint, throttle: { familiar: boolean; until: Date }): Promise<void> {
  const member = await tx.user.findUnique({ where: { id: memberId }, select: { tenantId: true, email: true, fullName: true, username: true } });
  if (!member) return;
  const where = throttle.familiar ? "from a device you signed in on before" : "from devices you have not signed in on before";
  await sendMail(tx, {
    tenantId: member.tenantId,
    memberId,
    kind: "sign_in_throttled",
    to: member.email,
    subject: "Failed sign-ins to your account",
    text:
      `Hello ${member.fullName},\n\n` +
      `There were too many failed attempts to sign in to your account "${member.username}" ${where}. ` +
      `Sign-in ${throttle.familiar ? "from such a device" : "from unfamiliar devices"} is paused until ${formatTime(throttle.until)}.\n\n` +
      `Your open sessions go on as before${throttle.familiar ? "" : ", and a device you have signed in on before can still sign in"}. ` +
      `If these attempts were not yours, someone may be guessing your password: choose a long, unique one (${appUrl("/me/security")}).\n`,
  });
}
