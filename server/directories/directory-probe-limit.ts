import type { TDatabase } from "@/server/db/client";
import { ConflictError } from "@/server/errors";

// "Test connection" and "Preview 20 entries" open a connection from the server
// to an address the caller chose. However many admins, tabs or scripts click at
// once, an organisation gets this many per window; a burst queues on the
// organisation's advisory lock, so every process counts the same rows.

export const DIRECTORY_PROBE_LIMIT = { probes: 10, windowSeconds: 60 } as const;

export const PROBE_LIMIT_MESSAGE = `At most ${DIRECTORY_PROBE_LIMIT.probes} connection tests and previews a minute: try again in a minute`;

/** Counts one probe for the organisation, or ConflictError when the window is full. */
export async function reserveDirectoryProbe(db: TDatabase, tenantId: bigint, memberId: bigint | null, now = new Date()): Promise<void> {
  const windowStart = new Date(now.getTime() - DIRECTORY_PROBE_LIMIT.windowSeconds * 1000);
  await db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`directory-probe:${tenantId}`}, 0))`;
    await tx.directoryProbe.deleteMany({ where: { tenantId, createdAt: { lt: windowStart } } });
    const recent = await tx.directoryProbe.count({ where: { tenantId, createdAt: { gte: windowStart } } });
    if (recent >= DIRECTORY_PROBE_LIMIT.probes) throw new ConflictError(PROBE_LIMIT_MESSAGE);
    await tx.directoryProbe.create({ data: { tenantId, memberId, createdAt: now } });
  });
}
