import { sendMails } from "@/server/mail/send-mail";
import type { TSqlTransaction } from "@/server/db/sql-transaction";

/** A member whose sign-in contact (email or mobile) a change moves, as it was before the change. */
export type TContactChange = { memberId: bigint; fullName: string; oldEmail: string | null; fields: ("email" | "mobile")[] };

const FIELD_NAMES = { email: "email address", mobile: "mobile number" } as const;

/**
 * Mails each member's OLD address that their email or mobile changed, inside
 * the change's transaction: whoever moved the contact (an admin, an import, a
 * thief with a session) cannot also hide it, and the owner of the old address
 * learns of it before a reset link goes to the new one. The new values are
 * not in the mail (the old address may no longer be the member's).
 */
export async function notifyContactChanges(tx: TSqlTransaction, tenantId: bigint, changes: TContactChange[]): Promise<void> {
  await sendMails(
    tx,
    changes
      .filter((change) => change.fields.length > 0)
      .map((change) => {
        const what = change.fields.map((field) => FIELD_NAMES[field]).join(" and ");
        return {
          tenantId,
          memberId: change.memberId,
          kind: "contact_changed",
          to: change.oldEmail,
          subject: `The ${what} of your account was changed`,
          text:
            `Hello ${change.fullName},\n\n` +
            `The ${what} of your account was just changed. Mail about your account (including password reset links) now goes to the new address.\n\n` +
            `If you did not expect this, tell your administrator at once.\n`,
        };
      }),
  );
}

/** Which sign-in contacts an edit's audit changes touch. */
export function changedContactFields(changes: Record<string, unknown>): ("email" | "mobile")[] {
  return (["email", "mobile"] as const).filter((field) => field in changes);
}
