import type { TChanges } from "@/server/audit/record-audit-event";

/** The fields whose values differ (lists compared by content), before and after, for the audit trail. */
export function settingsChanges(before: Record<string, unknown>, after: Record<string, unknown>): TChanges {
  const changes: TChanges = {};
  for (const field of Object.keys(after)) {
    if (JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null)) changes[field] = { before: before[field] ?? null, after: after[field] ?? null };
  }
  return changes;
}

/** Fields that only bound how long tokens live: shortening or lengthening them within the caps sends no token anywhere new. */
export const LIFETIME_FIELDS = new Set(["accessTokenTtlSeconds", "idTokenTtlSeconds", "refreshTokenTtlSeconds"]);
