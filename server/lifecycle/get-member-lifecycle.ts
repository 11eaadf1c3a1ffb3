import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { authorityRefusal, type TLifecycleActor } from "@/server/lifecycle/member-authority";
import { actorLabel } from "@/server/shared/actor-label";
import { offeredActions, type TMemberState } from "@/server/shared/member-states";
import { receiptApplications, timeToZeroAccessMs } from "@/server/application-sessions/receipt-applications";
import { receiptAccounts, type TReceiptAccounts } from "@/server/provisioning/receipt-accounts";

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
      directory: { select: { signInByBind: true } },
      invitations: { where: { usedAt: null }, orderBy: { expiresAt: "desc" }, take: 1, select: { expiresAt: true } },
    },
  });
  if (!member) throw new NotFoundError("Member not found");
  const { recycleBinEntry, lifecycleReceipts, passwordHash, invitations, directory, sysAdmin, ...rest } = member;
  // Sign-in by LDAP bind: the directory holds the password, so there is one even without a hash here.
  const hasPassword = passwordHash !== null || directory?.signInByBind === true;
  const state = member.state as TMemberState;
  const actorOf = await receiptActors(db, tenantId, lifecycleReceipts);
  const applicationsOf = await receiptApplications(db, lifecycleReceipts.map((receipt) => receipt.id));
  const accountsOf = await receiptAccounts(db, lifecycleReceipts);
  return {
    ...rest,
    id: member.id.toString(),
    state,
    actions: offeredActions(state, (action) => viewer === null || authorityRefusal(viewer, { id: member.id, sysAdmin }, action) === null),
    /** False until they accept their invitation: "Active" alone would suggest they can sign in. */
    passwordSet: hasPassword,
    /** Their latest unanswered invitation's expiry (possibly past), null once they have a password. */
    invitationExpiresAt: hasPassword ? null : (invitations[0]?.expiresAt ?? null),
    hardDeleteAt: recycleBinEntry?.hardDeleteAt ?? null,
    stateBeforeDeletion: recycleBinEntry?.stateBefore ?? null,
    receipts: lifecycleReceipts.map((receipt) => ({
      ...receiptApplicationFields(receipt, applicationsOf(receipt.id), accountsOf(receipt.id)),
      id: receipt.id.toString(),
      action: receipt.action,
      committedAt: receipt.committedAt,
      actorName: actorOf(receipt),
      revoked: receipt.revoked as Record<string, { id: string; name: string }[]>,
      sessionsEnded: receipt.sessionsEnded,
      zeroAccessAt: receipt.zeroAccessAt,
      zeroAccessMs: receipt.zeroAccessMs,
    })),
  };
}
/**
 * The applications' part of a receipt: logouts and provisioned accounts.
 * `timeToZeroAccessMs` lasts until the last logout was confirmed and the last
 * account was closed by its application (`zeroAccessMs` is Tenure's own sessions).
 */
function receiptApplicationFields(
  receipt: { committedAt: Date; zeroAccessAt: Date | null; zeroAccessMs: number | null },
  applications: ReturnType<Awaited<ReturnType<typeof receiptApplications>>>,
  accounts: TReceiptAccounts,
) {
  const lastConfirmedAt = [applications.lastConfirmedAt, accounts.lastClosedAt].reduce<Date | null>((last, at) => (at && (!last || at > last) ? at : last), null);
  return {
    applications: applications.applications,
    applicationLogoutsPending: applications.pending,
    applicationLogoutsFailed: applications.failed,
    accounts: accounts.accounts,
    accountsPending: accounts.pending,
    accountsFailed: accounts.failed,
    timeToZeroAccessMs: timeToZeroAccessMs(receipt, {
      ...applications,
      pending: applications.pending + accounts.pending,
      failed: applications.failed + accounts.failed,
      lastConfirmedAt,
    }),
  };
}

type TReceiptActor = { actorId: bigint | null; actorDirectoryId: bigint | null; actorTokenId: bigint | null };

/** Who made each receipt: a member by name, "Directory <name>", "API token <name>" or the system (names read in three small queries). */
async function receiptActors(db: TDatabase, tenantId: bigint, receipts: TReceiptActor[]): Promise<(receipt: TReceiptActor) => string> {
  const memberIds = [...new Set(receipts.flatMap((receipt) => (receipt.actorId !== null ? [receipt.actorId] : [])))];
  const directoryIds = [...new Set(receipts.flatMap((receipt) => (receipt.actorDirectoryId !== null ? [receipt.actorDirectoryId] : [])))];
  const tokenIds = [...new Set(receipts.flatMap((receipt) => (receipt.actorTokenId !== null ? [receipt.actorTokenId] : [])))];
  const [members, directories, tokens] = await Promise.all([
    memberIds.length > 0 ? db.user.findMany({ where: { tenantId, id: { in: memberIds } }, select: { id: true, fullName: true } }) : [],
    directoryIds.length > 0 ? db.directory.findMany({ where: { tenantId, id: { in: directoryIds } }, select: { id: true, name: true } }) : [],
    tokenIds.length > 0 ? db.apiToken.findMany({ where: { tenantId, id: { in: tokenIds } }, select: { id: true, name: true } }) : [],
  ]);
  const tokenName = new Map(tokens.map((row) => [row.id, row.name]));
  const memberName = new Map(members.map((row) => [row.id, row.fullName]));
  const directoryName = new Map(directories.map((row) => [row.id, row.name]));
  return (receipt) =>
    actorLabel({
      actorId: receipt.actorId,
      actorName: receipt.actorId !== null ? (memberName.get(receipt.actorId) ?? null) : null,
      actorDirectoryId: receipt.actorDirectoryId,
      actorDirectoryName: receipt.actorDirectoryId !== null ? (directoryName.get(receipt.actorDirectoryId) ?? null) : null,
      actorTokenId: receipt.actorTokenId,
      actorTokenName: receipt.actorTokenId !== null ? (tokenName.get(receipt.actorTokenId) ?? null) : null,
    });
}

export type TMemberLifecycle = Awaited<ReturnType<typeof getMemberLifecycle>>;
