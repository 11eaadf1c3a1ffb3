import type { TDatabase } from "@/server/db/client";
import { revokeSession } from "@/server/auth/sessions";

/** Ends a session at the member's request; the member goes offline when it was their last open one. */
export async function signOutSession(db: TDatabase, sessionId: string, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    if (!(await revokeSession(tx, sessionId, "signed_out", now))) return;
    const session = await tx.session.findUniqueOrThrow({ where: { id: sessionId }, select: { userId: true } });
    const stillOpen = await tx.session.count({ where: { userId: session.userId, revokedAt: null, expiresAt: { gt: now } } });
    if (stillOpen === 0) await tx.user.update({ where: { id: session.userId }, data: { online: false, offlineAt: now } });
  });
}
