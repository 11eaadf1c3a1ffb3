import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { allowedActions, type TMemberState } from "@/server/lifecycle/states";

const RECEIPTS_SHOWN = 5;

/**
 * The lifecycle panel of the member page: the state and what it means (lock
 * window, reasons, scheduled leave, recycle-bin deadline), the actions the
 * state allows, and the latest receipts.
 */
export async function getMemberLifecycle(db: TDatabase, tenantId: bigint, memberId: bigint) {
  const member = await db.user.findFirst({
    where: { id: memberId, tenantId },
    select: {
      id: true,
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
    },
  });
  if (!member) throw new NotFoundError("Member not found");
  const { recycleBinEntry, lifecycleReceipts, ...rest } = member;
  const state = member.state as TMemberState;
  return {
    ...rest,
    id: member.id.toString(),
    state,
    allowedActions: allowedActions(state),
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
