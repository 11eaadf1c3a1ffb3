import type { TLifecycleAction } from "@/server/shared/member-states";
import type { TRelationKind } from "@/server/lifecycle/relations";

// What the console calls the lifecycle's actions and relation kinds,
// and the sentences that explain them. Pure: server or client.

/** The button that starts the action. */
export const ACTION_LABELS: Record<TLifecycleAction, string> = {
  activate: "Activate",
  lock: "Lock",
  unlock: "Unlock",
  disable: "Disable",
  enable: "Enable",
  resign: "Resign",
  archive: "Archive",
  unarchive: "Unarchive",
  delete: "Delete",
  restore: "Restore",
};

/** "Disabling…" while the action runs. */
export const ACTION_PROGRESS: Record<TLifecycleAction, string> = {
  activate: "Activating",
  lock: "Locking",
  unlock: "Unlocking",
  disable: "Disabling",
  enable: "Enabling",
  resign: "Resigning",
  archive: "Archiving",
  unarchive: "Unarchiving",
  delete: "Deleting",
  restore: "Restoring",
};

/** "Disabled 3 members." */
export const ACTION_DONE: Record<TLifecycleAction, string> = {
  activate: "Activated",
  lock: "Locked",
  unlock: "Unlocked",
  disable: "Disabled",
  enable: "Enabled",
  resign: "Resigned",
  archive: "Archived",
  unarchive: "Unarchived",
  delete: "Moved to the recycle bin:",
  restore: "Restored",
};

/** What the action does, as the confirmation dialog says it (specification: member-lifecycle). */
export const ACTION_EXPLANATIONS: Record<TLifecycleAction, string> = {
  activate: "The member becomes active now, before their start date, and may sign in.",
  lock: "Every session is ended now and the account cannot sign in until it is unlocked (or the lock ends). Nothing is revoked.",
  unlock: "The account may sign in again. The lock's reason and end time are cleared.",
  disable:
    "Every session is ended now and the account cannot sign in. Application and policy authorisations are revoked; departments, roles and groups stay. The member is told by mail.",
  enable: "The account may sign in again. Authorisations revoked when it was disabled or resigned are not given back: grant them again if needed.",
  resign:
    "The account cannot sign in any more. Application and policy authorisations are revoked and the member leaves every department for Departed. With a leave date, all this happens then instead.",
  archive:
    "The record is kept, read-only, and hidden from the directory (see the Archived view). Every authorisation, department, role and group is removed and sessions end. The username, email and mobile cannot be registered again until it is unarchived.",
  unarchive: "The member becomes editable again, as a disabled account: enable them to let them sign in.",
  delete:
    "Every authorisation, department, role and group is removed, sessions end, and the member goes to the recycle bin. Within the grace period they can be restored, relations included; after it they are erased for good.",
  restore: "The member returns to the state they had, with every relation they had that still exists.",
};

export const RELATION_LABELS: Record<TRelationKind, string> = {
  applications: "Applications",
  policies: "Policies",
  roles: "Roles",
  groups: "Groups",
  departments: "Departments",
};

/** The kinds in the order the console lists them (server/lifecycle/relations.ts is server-only: it builds SQL). */
export const RELATION_KIND_ORDER = Object.keys(RELATION_LABELS) as TRelationKind[];

/** "1 open session", "3 open sessions". */
export function countSessions(count: number): string {
  return `${count.toLocaleString("en")} open session${count === 1 ? "" : "s"}`;
}

/** The measured time to zero access, e.g. "4.2 ms" or "137 ms". */
export function formatMilliseconds(ms: number): string {
  return `${ms.toLocaleString("en", { maximumFractionDigits: ms < 10 ? 2 : ms < 100 ? 1 : 0 })} ms`;
}

