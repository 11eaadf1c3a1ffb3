import { Prisma } from "@/server/db/generated/client";
import type { TDatabase, TTransaction } from "@/server/db/client";
import { appUrl, sendMails } from "@/server/mail/send-mail";
import { enqueueMany } from "@/server/queue/enqueue";

const DAY_MS = 86_400_000;

/** Days before expiry a reminder goes out, until an admin sets others (lifecycle settings). */
export const DEFAULT_PASSWORD_REMINDER_DAYS: readonly number[] = [14, 7, 1];

// Read here, not through server/lifecycle (which edits the setting): password
// changes (auth) schedule reminders, and auth sits below the lifecycle.
async function passwordReminderDays(tx: TTransaction, tenantId: bigint): Promise<number[]> {
  const row = await tx.tenantLifecycleSettings.findUnique({ where: { tenantId }, select: { passwordReminderDays: true } });
  return row?.passwordReminderDays ?? [...DEFAULT_PASSWORD_REMINDER_DAYS];
}

/**
 * Schedules the reminders for a member's new password expiry (call in the
 * transaction that sets password_expires_at): one job per reminder day of the
 * tenant, at that moment. Keys replace the reminders of an earlier expiry.
 */
export async function schedulePasswordExpiryReminders(tx: TTransaction, tenantId: bigint, memberId: bigint, expiresAt: Date | null): Promise<void> {
  if (!expiresAt) return;
  const now = Date.now();
  const jobs = (await passwordReminderDays(tx, tenantId))
    .map((days) => ({ days, runAt: new Date(expiresAt.getTime() - days * DAY_MS) }))
    .filter((reminder) => reminder.runAt.getTime() > now)
    .map((reminder) => ({
      payload: { memberId: memberId.toString(), daysBefore: reminder.days },
      runAt: reminder.runAt,
      jobKey: `password-reminder:${memberId}:${reminder.days}`,
    }));
  await enqueueMany(tx, "password__remind_expiry", jobs);
}

type TDueReminder = { user_id: bigint; tenant_id: bigint; email: string | null; full_name: string; password_expires_at: Date; days_before: number };

/**
 * Sends the reminders that are due: for each member whose password expires
 * within a reminder window, the most urgent reminder not yet sent (after
 * downtime, one mail, not three). password_reminders_sent makes every
 * reminder go out once, whichever job or sweep gets there first.
 * `only` restricts it to one member (the scheduled job).
 */
export async function sendDuePasswordReminders(db: TDatabase, only?: bigint, batchSize = 1000): Promise<number> {
  let total = 0;
  for (;;) {
    const sent = await db.$transaction(async (tx) => {
      const due = await tx.$queryRaw<TDueReminder[]>`
        WITH candidates AS (
          SELECT u.id, u.tenant_id, u.email::text AS email, u.full_name, u.password_expires_at,
                 (SELECT min(d) FROM unnest(coalesce(s.password_reminder_days, '{14,7,1}'::int[])) AS d
                  WHERE u.password_expires_at - make_interval(days => d) <= now()) AS days_before
          FROM users u LEFT JOIN tenant_lifecycle_settings s ON s.tenant_id = u.tenant_id
          WHERE u.password_expires_at > now() AND u.password_expires_at <= now() + interval '366 days'
            AND u.state IN ('active', 'locked', 'pending')
            ${only === undefined ? Prisma.empty : Prisma.sql`AND u.id = ${only}`}
        )
        , inserted AS (
          INSERT INTO password_reminders_sent (user_id, password_expires_at, days_before)
          SELECT c.id, c.password_expires_at, c.days_before FROM candidates c
          WHERE c.days_before IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM password_reminders_sent r
                            WHERE r.user_id = c.id AND r.password_expires_at = c.password_expires_at AND r.days_before <= c.days_before)
          ORDER BY c.id LIMIT ${batchSize}
          ON CONFLICT DO NOTHING
          RETURNING user_id, days_before)
        SELECT i.user_id, c.tenant_id, c.email, c.full_name, c.password_expires_at, i.days_before
        FROM inserted i JOIN candidates c ON c.id = i.user_id`;
      await sendMails(
        tx,
        due.map((reminder) => ({
          tenantId: reminder.tenant_id,
          memberId: reminder.user_id,
          kind: "password_expiry_reminder",
          to: reminder.email,
          subject: `Your password expires in ${Math.max(1, Math.ceil((reminder.password_expires_at.getTime() - Date.now()) / DAY_MS))} day(s)`,
          text:
            `Hello ${reminder.full_name},\n\nYour password expires at ${reminder.password_expires_at.toISOString().slice(0, 16).replace("T", " ")} UTC. ` +
            `After that, you will have to choose a new one before you can do anything else.\n\nChange it now: ${appUrl("/me")}\n`,
        })),
      );
      return due.length;
    });
    total += sent;
    if (only !== undefined || sent < batchSize) return total;
  }
}
