import type { ReactNode } from "react";
import { DateTime, useTimeZone } from "@/components/date-time";
import { passwordPendingText } from "@/components/lifecycle/password-pending";
import { STATUS_LABELS } from "@/components/members/member-list-labels";
import type { TMemberState } from "@/server/shared/member-states";
import type { TMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";

type TLine = { key: string; text: ReactNode };

const at = (value: Date | string) => <DateTime value={value} />;

/** What the state means for this member, in sentences: since when, until when, why. */

/** When a lock scheduled for later starts (server/lifecycle/schedule-lock.ts): after the last lock that happened; null without one. */
export function scheduledLockStart(lifecycle: Pick<TMemberLifecycle, "state" | "lockStartAt" | "lastLockedAt">): Date | null {
  const lockStart = lifecycle.lockStartAt ? new Date(lifecycle.lockStartAt) : null;
  if (lifecycle.state !== "active" || !lockStart) return null;
  return !lifecycle.lastLockedAt || new Date(lifecycle.lastLockedAt) < lockStart ? lockStart : null;
}

function meaningLines(lifecycle: TMemberLifecycle, timeZone: string): TLine[] {
  const lines: TLine[] = [];
  switch (lifecycle.state) {
    case "pending":
      lines.push({
        key: "pending",
        text: lifecycle.startDate ? <>Starts on {at(lifecycle.startDate)}: cannot sign in until then.</> : "Not started yet: cannot sign in until activated.",
      });
      break;
    case "active":
      // Active yet unable to sign in until they answer their invitation (the line after the switch).
      if (lifecycle.passwordSet) lines.push({ key: "active", text: "Can sign in." });
      break;
    case "locked":
      lines.push({
        key: "locked",
        text: lifecycle.lockEndAt
          ? <>Locked{lifecycle.lockStartAt ? <> since {at(lifecycle.lockStartAt)}</> : ""} until {at(lifecycle.lockEndAt)}, then unlocked automatically.</>
          : <>Locked{lifecycle.lockStartAt ? <> since {at(lifecycle.lockStartAt)}</> : ""} until someone unlocks the account.</>,
      });
      if (lifecycle.lockReason) lines.push({ key: "lock-reason", text: `Reason: ${lifecycle.lockReason}` });
      break;
    case "disabled":
      lines.push({ key: "disabled", text: "Disabled: cannot sign in." });
      if (lifecycle.disableReason) lines.push({ key: "disable-reason", text: `Reason: ${lifecycle.disableReason}` });
      break;
    case "resigned":
      lines.push({ key: "resigned", text: lifecycle.resignedAt ? <>Resigned on {at(lifecycle.resignedAt)}: cannot sign in.</> : "Resigned: cannot sign in." });
      if (lifecycle.resignationReason) lines.push({ key: "resignation-reason", text: `Reason: ${lifecycle.resignationReason}` });
      break;
    case "archived":
      lines.push({ key: "archived", text: lifecycle.archivedAt ? <>Archived on {at(lifecycle.archivedAt)}: read-only, hidden from the directory.</> : "Archived: read-only." });
      break;
    case "deleted":
      // When they are erased is the panel's banner.
      lines.push({ key: "deleted", text: lifecycle.deletedAt ? <>Deleted on {at(lifecycle.deletedAt)}.</> : "Deleted." });
      if (lifecycle.stateBeforeDeletion) lines.push({ key: "before", text: `Restore returns them to “${STATUS_LABELS[lifecycle.stateBeforeDeletion as TMemberState] ?? lifecycle.stateBeforeDeletion}”.` });
      break;
  }
  const passwordPending = lifecycle.state === "active" || lifecycle.state === "pending" ? passwordPendingText(lifecycle, timeZone) : null;
  if (passwordPending) lines.push({ key: "password-pending", text: passwordPending });
  const lockStart = scheduledLockStart(lifecycle);
  if (lockStart) {
    const until = lifecycle.lockEndAt ? <> until {at(lifecycle.lockEndAt)}</> : "";
    const reason = lifecycle.lockReason ? ` (${lifecycle.lockReason})` : "";
    lines.push({ key: "scheduled-lock", text: <>Scheduled to be locked from {at(lockStart)}{until}{reason}.</> });
  }
  if (lifecycle.scheduledLeaveAt) {
    const reason = lifecycle.scheduledLeaveReason ? ` (${lifecycle.scheduledLeaveReason})` : "";
    lines.push({ key: "scheduled-leave", text: <>Scheduled to leave on {at(lifecycle.scheduledLeaveAt)}{reason}.</> });
  }
  return lines;
}

export function StateMeaning({ lifecycle }: { lifecycle: TMemberLifecycle }) {
  const timeZone = useTimeZone();
  return (
    <ul className="space-y-0.5 text-sm text-slate-700" data-testid="lifecycle-meaning">
      {meaningLines(lifecycle, timeZone).map((line) => (
        <li key={line.key} data-testid={`lifecycle-${line.key}`}>
          {line.text}
        </li>
      ))}
    </ul>
  );
}
