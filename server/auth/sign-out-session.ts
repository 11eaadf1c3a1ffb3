import type { TDatabase } from "@/server/db/client";
import { revokeSession } from "@/server/auth/sessions";

/** Ends a session at the member's request; revokeSession takes the member offline when it was their last open one. */
export async function signOutSession(db: TDatabase, sessionId: string, now = new Date()): Promise<void> {
  await revokeSession(db, sessionId, "signed_out", now);
}
