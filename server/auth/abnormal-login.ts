import type { TDatabaseOrTransaction } from "@/server/db/client";
import { deviceFamily, networkOf } from "@/server/auth/client-device";
import type { TClientInfo } from "@/server/shared/actor";

// Abnormal sign-in (specification: "abnormal login locations/frequency"):
// - new_device: the member signed in during the last 90 days, but never from
//   this browser family on this /24 (or /48) network. A member with no sign-in
//   in 90 days has nothing to compare with, so their first one is not flagged.
// - unusual_frequency: already 10 successful sign-ins within the last hour
//   (a person opens a session a few times a day; a script far more often).
// The tenant policy decides whether an abnormal sign-in is only recorded (and
// shown to the member and admins) or also refused and the account locked.

export const ABNORMAL_REASON = { newDevice: "new_device", unusualFrequency: "unusual_frequency" } as const;
export type TAbnormalReason = (typeof ABNORMAL_REASON)[keyof typeof ABNORMAL_REASON];

export const DEVICE_MEMORY_DAYS = 90;
export const UNUSUAL_FREQUENCY = { signIns: 10, windowMinutes: 60 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

type TSignInHistory = { known: boolean; from_this_device: boolean; last_hour: bigint };

export async function detectAbnormalLogin(db: TDatabaseOrTransaction, userId: bigint, client: TClientInfo, now: Date): Promise<TAbnormalReason[]> {
  const device = deviceFamily(client.userAgent);
  const network = networkOf(client.ipAddress);
  const since = new Date(now.getTime() - DEVICE_MEMORY_DAYS * DAY_MS);
  const hourAgo = new Date(now.getTime() - UNUSUAL_FREQUENCY.windowMinutes * 60 * 1000);
  // EXISTS stops at the first match: a member on a known device costs a few index steps, not their 90 days.
  const [history] = await db.$queryRaw<TSignInHistory[]>`
    SELECT
      EXISTS (SELECT 1 FROM login_attempts WHERE user_id = ${userId} AND result = 'success' AND created_at > ${since}) AS known,
      EXISTS (
        SELECT 1 FROM login_attempts
        WHERE user_id = ${userId} AND result = 'success' AND created_at > ${since}
          AND device IS NOT DISTINCT FROM ${device} AND network IS NOT DISTINCT FROM ${network}
      ) AS from_this_device,
      (SELECT count(*) FROM login_attempts WHERE user_id = ${userId} AND result = 'success' AND created_at > ${hourAgo}) AS last_hour`;
  const reasons: TAbnormalReason[] = [];
  if (history?.known && !history.from_this_device) reasons.push(ABNORMAL_REASON.newDevice);
  if (history && history.last_hour >= BigInt(UNUSUAL_FREQUENCY.signIns)) reasons.push(ABNORMAL_REASON.unusualFrequency);
  return reasons;
}
