import type pg from "pg";
import { exportToEnvironment } from "@/server/env";
import { deliveredText } from "@/server/mail/secret-link";
import { readE2eServerState } from "./e2e-env";
import { expect } from "./fixtures";

type TMailRow = { tenant_id: string; user_id: string | null; kind: string; subject: string; body_text: string; sealed_link: string | null };

/**
 * The newest mail of a kind to an address, as the recipient's mailbox gets it:
 * the stored body holds only a placeholder for a secret link, which delivery
 * (here: this helper, with the run's secret) puts back. Waits for the worker
 * when the mail comes from a job (forgot password).
 */
export async function mailboxOf(database: pg.Pool, toAddress: string, kind: string): Promise<{ subject: string; text: string }> {
  let row: TMailRow | undefined;
  await expect
    .poll(async () => {
      ({ rows: [row] } = await database.query<TMailRow>(
        "SELECT tenant_id::text, user_id::text, kind, subject, body_text, sealed_link FROM outbox_mails WHERE to_address = $1 AND kind = $2 ORDER BY id DESC LIMIT 1",
        [toAddress, kind],
      ));
      return row !== undefined;
    })
    .toBe(true);
  const state = readE2eServerState();
  exportToEnvironment({ DATABASE_URL: state.databaseUrl, NEXTAUTH_SECRET: state.nextauthSecret });
  const mail = row!;
  const text = deliveredText({
    tenantId: BigInt(mail.tenant_id),
    userId: mail.user_id === null ? null : BigInt(mail.user_id),
    kind: mail.kind,
    bodyText: mail.body_text,
    sealedLink: mail.sealed_link,
  });
  return { subject: mail.subject, text };
}
