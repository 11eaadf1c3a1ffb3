import type { TDatabase } from "@/server/db/client";
import { ConflictError } from "@/server/errors";
import { takeToken } from "@/server/rate-limits/token-bucket";

// "Test connection" and "Preview 20 entries" open a connection from the server
// to an address the caller chose. However many admins, tabs or scripts click at
// once, an organisation gets this many per minute (a shared token bucket).

export const DIRECTORY_PROBE_LIMIT = { capacity: 10, perSeconds: 60 } as const;

export const PROBE_LIMIT_MESSAGE = `At most ${DIRECTORY_PROBE_LIMIT.capacity} connection tests and previews a minute: try again in a minute`;

export const directoryProbeBucket = (tenantId: bigint) => `directory-probe:${tenantId}`;

/** Counts one probe for the organisation, or ConflictError when its minute's probes are spent. */
export async function reserveDirectoryProbe(db: TDatabase, tenantId: bigint, now = new Date()): Promise<void> {
  const taken = await takeToken(db, directoryProbeBucket(tenantId), DIRECTORY_PROBE_LIMIT, now);
  if (!taken.allowed) throw new ConflictError(PROBE_LIMIT_MESSAGE);
}
