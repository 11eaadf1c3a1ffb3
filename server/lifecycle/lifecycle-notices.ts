import type { TTransaction } from "@/server/db/client";
import { sendMails, appUrl } from "@/server/mail/send-mail";
import type { TLockedMember } from "@/server/lifecycle/load-members";
import type { TTransitionAction, TTransitionOptions } from "@/server/lifecycle/transition-members";

const formatTime = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

/** The member is told when their account is locked or disabled (never silently shut out). */
export async function sendLifecycleNotices(
  tx: TTransaction,
  tenantId: bigint,
  action: TTransitionAction,
  members: TLockedMember[],
  options: TTransitionOptions,
): Promise<void> {
  if (action !== "lock" && action !== "disable") return;
  const reason = options.reason ? `Reason: ${options.reason}\n\n` : "";
  const until = options.lockEndDate ? `It will be unlocked automatically at ${formatTime(options.lockEndDate)}.\n\n` : "";
  const text =
    action === "lock"
      ? `Your account has been locked, and every session signed in with it has been ended.\n\n${reason}${until}If you did not expect this, contact your administrator.\n`
      : `Your account has been disabled: you can no longer sign in, and every session signed in with it has been ended.\n\n${reason}Contact your administrator if you think this is a mistake.\n`;
  await sendMails(
    tx,
    members.map((member) => ({
      tenantId,
      memberId: member.id,
      kind: action === "lock" ? "account_locked" : "account_disabled",
      to: member.email,
      subject: action === "lock" ? "Your account has been locked" : "Your account has been disabled",
      text: `Hello ${member.fullName},\n\n${text}\n${appUrl("/sign-in")}\n`,
    })),
  );
}
