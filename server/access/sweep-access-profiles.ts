import type { TDatabase } from "@/server/db/client";

// Access profiles no member holds any more (a deleted role's, a set nobody has
// now) are swept, one organisation at a time under its access lock (the SQL
// function tenure_sweep_access_profiles, migration 20261205160000_access_profiles).

/** Sweeps every organisation's unused profiles older than `olderThanMinutes`; returns how many went. Idempotent. */
export async function sweepAccessProfiles(db: TDatabase, olderThanMinutes = 10): Promise<number> {
  const tenants = await db.$queryRaw<{ tenant_id: bigint }[]>`
    SELECT DISTINCT p.tenant_id FROM access_profiles p
    WHERE p.created_at < now() - make_interval(mins => ${olderThanMinutes})
      AND NOT EXISTS (SELECT 1 FROM member_access_profiles m WHERE m.profile_id = p.id)`;
  let swept = 0;
  for (const { tenant_id: tenantId } of tenants) {
    // One transaction per organisation: its access lock is held only while its own profiles go.
    const [row] = await db.$transaction((tx) =>
      tx.$queryRaw<{ swept: number }[]>`SELECT tenure_sweep_access_profiles(${tenantId}, make_interval(mins => ${olderThanMinutes})) AS swept`,
    );
    swept += row?.swept ?? 0;
  }
  return swept;
}
