import type { TLifecycleAction } from "@/server/shared/member-states";
import type { TRelationKind } from "@/server/lifecycle/relations";

/**
 * What each action removes (specification: member-lifecycle). The preview
 * dialog and the action itself both read this table.
 * - disable: application and policy authorisations; departments stay.
 * - resign: as disable, and every department (the member joins Departed).
 * - archive: authorisations, departments, roles and groups.
 * - delete: everything, kept in the recycle bin for restore.
 */
export const REMOVED_RELATIONS: Partial<Record<TLifecycleAction, readonly TRelationKind[]>> = {
  disable: ["applications", "policies"],
  resign: ["applications", "policies", "departments"],
  archive: ["applications", "policies", "roles", "groups", "departments"],
  delete: ["applications", "policies", "roles", "groups", "departments"],
};

/** Actions after which the member can no longer sign in: their sessions end in the same transaction. */
export const ENDS_SESSIONS: ReadonlySet<TLifecycleAction> = new Set(["lock", "disable", "resign", "archive", "delete"]);

/** Actions that leave a receipt of what was revoked and how fast access reached zero. */
export const LEAVES_RECEIPT: ReadonlySet<TLifecycleAction> = new Set(["lock", "disable", "resign", "archive", "delete"]);

export type TOffboardingAction = "disable" | "resign" | "archive" | "delete";
export const OFFBOARDING_ACTIONS = ["disable", "resign", "archive", "delete"] as const satisfies readonly TOffboardingAction[];
