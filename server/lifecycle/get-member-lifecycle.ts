import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { authorityRefusal, type TLifecycleActor } from "@/server/lifecycle/member-authority";
import { offeredActions, type TMemberState } from "@/server/shared/member-states";

const RECEIPTS_SHOWN = 5;

/**
 * The lifecycle panel of the member page: the state and what it means (lock
 * window, reasons, scheduled leave, recycle-bin deadline), the actions the
 * state allows, the latest receipts, and whether they have set a password yet
 * (a boolean and the open invitation's expiry: never the hash). With a
 * viewer, `actions` holds only what they may do (server/lifecycle/member-authority.ts).
 */
export async function getMemberLifecycle(db: TDatabase, tenantId: bigint, memberId: bigint, viewer: TLifecycleActor | null = null) {
  const member = await db.user.findFirst({
    where: { id: memberId, tenantId },
    select: {
      id: true,
      sysAdmin: true,
      state: true,
      stateChangedAt: true,
      startDate: true,
      lockReason: true,
      lockStartAt: true,
      lockEndAt: true,
      lastLockedAt: true,
      disableReason: true,
      resignedAt: true,
      resignationReason: true,
      scheduledLeaveAt: true,
      scheduledLeaveReason: true,
      archivedAt: true,
      deletedAt: true,
      recycleBinEntry: { select: { hardDeleteAt: true, stateBefore: true } },
      lifecycleReceipts: { orderBy: { id: "desc" }, take: RECEIPTS_SHOWN },
      passwordHash: true,
      invitations: { where: { usedAt: null }, orderBy: { expiresAt: "desc" }, take: 1, select: { expiresAt: true } },
    },
  });
  if (!member) throw new NotFoundError("Member not found");
  const { recycleBinEntry, lifecycleReceipts, passwordHash, invitations, sysAdmin, ...rest } = member;
  const state = member.state as TMemberState;
  return {
    ...rest,
    id: member.id.toString(),
    state,
    actions: offeredActions(state, (action) => viewer === null || authorityRefusal(viewer, { id: member.id, sysAdmin }, action) === null),
    /** False until they accept their invitation: "Active" alone would suggest they can sign in. */
    passwordSet: passwordHash !== null,
    /** Their latest unanswered invitation's expiry (possibly past), null once they have a password. */
    invitationExpiresAt: passwordHash === null ? (invitations[0]?.expiresAt ?? null) : null,
    hardDeleteAt: recycleBinEntry?.hardDeleteAt ?? null,
    stateBeforeDeletion: recycleBinEntry?.stateBefore ?? null,
    receipts: lifecycleReceipts.map((receipt) => ({
      id: receipt.id.toString(),
      action: receipt.action,
      committedAt: receipt.committedAt,
      revoked: receipt.revoked as Record<string, { id: string; name: string }[]>,
      sessionsEnded: receipt.sessionsEnded,
      zeroAccessAt: receipt.zeroAccessAt,
      zeroAccessMs: receipt.zeroAccessMs,
    })),
  };
}
export type TMemberLifecycle = Awaited<ReturnType<typeof getMemberLifecycle>>;
