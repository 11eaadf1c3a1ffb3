import type { z } from "zod";
import type { TDatabase } from "@/server/db/client";
import { ZPasswordHealthInput } from "@/server/status/schemas";

const DAY_MS = 24 * 60 * 60 * 1000;

export type TPasswordHealth = {
  /** Active members who must change their password at their next sign-in (weak or expired when they signed in, or an admin asked). */
  mustChange: number;
  /** Active members whose password expires within `withinDays`. */
  expiringSoon: number;
  /** Active members whose password has expired (they will have to change it at sign-in). */
  expired: number;
  withinDays: number;
};

/** One query; each count reads a partial index of this tenant's active members (users_tenant_password_change_idx, users_tenant_password_expiry_idx). */
export async function getPasswordHealth(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZPasswordHealthInput>, now = new Date()): Promise<TPasswordHealth> {
  const { withinDays } = ZPasswordHealthInput.parse(rawInput);
  const until = new Date(now.getTime() + withinDays * DAY_MS);
  const [row] = await db.$queryRaw<{ must_change: bigint; expiring: bigint; expired: bigint }[]>`
    SELECT
      (SELECT count(*) FROM users WHERE tenant_id = ${tenantId} AND password_change_required AND state = 'active') AS must_change,
      (SELECT count(*) FROM users WHERE tenant_id = ${tenantId} AND state = 'active' AND password_expires_at IS NOT NULL
         AND password_expires_at > ${now} AND password_expires_at <= ${until}) AS expiring,
      (SELECT count(*) FROM users WHERE tenant_id = ${tenantId} AND state = 'active' AND password_expires_at IS NOT NULL
         AND password_expires_at <= ${now}) AS expired`;
  return { mustChange: Number(row?.must_change ?? 0), expiringSoon: Number(row?.expiring ?? 0), expired: Number(row?.expired ?? 0), withinDays };
}
