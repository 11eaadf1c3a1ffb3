// The member lifecycle as an explicit state machine: which action may start
// from which state, and where it leads. Pure: shared by services, the console
// (to offer only possible actions) and the property test.

export const MEMBER_STATES = ["pending", "active", "locked", "disabled", "resigned", "archived", "deleted"] as const;
export type TMemberState = (typeof MEMBER_STATES)[number];

export const LIFECYCLE_ACTIONS = [
  "activate",
  "lock",
  "unlock",
  "disable",
  "enable",
  "resign",
  "archive",
  "unarchive",
  "delete",
  "restore",
] as const;
export type TLifecycleAction = (typeof LIFECYCLE_ACTIONS)[number];

/** "restore" returns to the state before deletion, recorded in the recycle bin. */
export const TRANSITIONS: Record<TLifecycleAction, { from: readonly TMemberState[]; to: TMemberState | "previous" }> = {
  activate: { from: ["pending"], to: "active" },
  lock: { from: ["active", "locked"], to: "locked" },
  unlock: { from: ["locked"], to: "active" },
  disable: { from: ["pending", "active", "locked"], to: "disabled" },
  enable: { from: ["disabled", "resigned"], to: "active" },
  resign: { from: ["pending", "active", "locked", "disabled"], to: "resigned" },
  archive: { from: ["pending", "active", "locked", "disabled", "resigned"], to: "archived" },
  unarchive: { from: ["archived"], to: "disabled" },
  delete: { from: ["pending", "active", "locked", "disabled", "resigned", "archived"], to: "deleted" },
  restore: { from: ["deleted"], to: "previous" },
};

export function isAllowed(action: TLifecycleAction, state: TMemberState): boolean {
  return TRANSITIONS[action].from.includes(state);
}

export function allowedActions(state: TMemberState): TLifecycleAction[] {
  return LIFECYCLE_ACTIONS.filter((action) => isAllowed(action, state));
}

const STATE_LABEL: Record<TMemberState, string> = {
  pending: "pending (not started yet)",
  active: "active",
  locked: "locked",
  disabled: "disabled",
  resigned: "resigned",
  archived: "archived",
  deleted: "deleted",
};

const ACTION_VERB: Record<TLifecycleAction, string> = {
  activate: "activated",
  lock: "locked",
  unlock: "unlocked",
  disable: "disabled",
  enable: "enabled",
  resign: "resigned",
  archive: "archived",
  unarchive: "unarchived",
  delete: "deleted",
  restore: "restored",
};

/** Why `action` is refused in `state`, phrased for the admin who tried it. */
export function refusalMessage(action: TLifecycleAction, state: TMemberState): string {
  if (state === "archived") return "An archived member must be unarchived first";
  if (state === "deleted") return "A deleted member must be restored from the recycle bin first";
  if (action === "unlock") return "The member is not locked";
  if (action === "activate") return "Only a pending member can be activated";
  if (action === "unarchive") return "The member is not archived";
  if (action === "restore") return "The member is not in the recycle bin";
  if (action === "enable" && state !== "pending") return `The member is ${STATE_LABEL[state]}, not disabled`;
  if (action === "lock") return `A ${STATE_LABEL[state]} member cannot be locked`;
  return `A ${STATE_LABEL[state]} member cannot be ${ACTION_VERB[action]}`;
}

/** Who may sign in: the single rule behind sign-in and every session check. */
export function stateAllowsSignIn(state: string): boolean {
  return state === "active";
}

/**
 * Whether a member in this state may be given a relation of this kind: nothing
 * for archived or deleted members; disabled and resigned members keep roles,
 * groups and departments but get no app or policy authorisations (the action
 * revoked them; enabling comes first). The database enforces the same rule.
 */
export function grantRefusal(kind: "role" | "group" | "application" | "policy" | "department", state: string): string | null {
  if (state === "archived") return "An archived member must be unarchived first";
  if (state === "deleted") return "A deleted member must be restored from the recycle bin first";
  if ((state === "disabled" || state === "resigned") && (kind === "application" || kind === "policy")) {
    return `A ${state} member cannot be given apps or policies: enable them first`;
  }
  return null;
}

/**
 * The action the member page puts first for each state: the next step of the
 * specification's lifecycle (member-lifecycle: onboarding → deactivation →
 * resignation → archive → deletion), or the way back from a pause. Active →
 * disable: the specification's first offboarding step (lock is Tenure's own
 * temporary measure, one click further, in the menu). Disabled → enable and
 * locked → unlock: both are pauses an admin usually ends. Resigned → archive:
 * the specification's step after resignation. Archived, deleted → the one way
 * back (unarchive, restore). Pending → activate early.
 */
const PRIMARY_ACTION: Record<TMemberState, TLifecycleAction> = {
  pending: "activate",
  active: "disable",
  locked: "unlock",
  disabled: "enable",
  resigned: "archive",
  archived: "unarchive",
  deleted: "restore",
};

/** Actions that take the member out of the directory: the menu keeps them apart, at its end. */
const DESTRUCTIVE_ACTIONS: ReadonlySet<TLifecycleAction> = new Set(["delete"]);

export type TOfferedActions = {
  primary: TLifecycleAction | null;
  more: TLifecycleAction[];
  destructive: TLifecycleAction[];
  hardDelete: boolean;
};

/**
 * What the console offers on a member in `state`, derived from TRANSITIONS
 * (never a table of its own) and the viewer's authority (`mayAct`). An action
 * that leads back to the same state (lock on a locked member) is allowed, so
 * the time rules and sign-in lockout may repeat it, but it is no choice to
 * offer an admin.
 */
export function offeredActions(state: TMemberState, mayAct: (action: TLifecycleAction | "hard-delete") => boolean): TOfferedActions {
  const possible = allowedActions(state).filter((action) => TRANSITIONS[action].to !== state && mayAct(action));
  const preferred = PRIMARY_ACTION[state];
  const primary = possible.includes(preferred) ? preferred : (possible.find((action) => !DESTRUCTIVE_ACTIONS.has(action)) ?? null);
  return {
    primary,
    more: possible.filter((action) => action !== primary && !DESTRUCTIVE_ACTIONS.has(action)),
    destructive: possible.filter((action) => action !== primary && DESTRUCTIVE_ACTIONS.has(action)),
    hardDelete: mayAct("hard-delete"),
  };
}
