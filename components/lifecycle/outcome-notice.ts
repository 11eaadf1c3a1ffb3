import { ACTION_DONE } from "@/components/lifecycle/lifecycle-labels";
import type { TLifecycleActionOutcome } from "@/server/lifecycle/run-lifecycle-action";
import type { TLifecycleAction } from "@/server/shared/member-states";

/**
 * The success notice of an action: "Disabled Ada Lovelace.", "Disabled 3
 * members.", a scheduled leave or lock, and what a restore could not bring back.
 */
export function outcomeNotice(outcome: TLifecycleActionOutcome, subject: string): { text: string; details: string[] } {
  const details = Object.values(outcome.notRestored)
    .flat()
    .map((relation) => `Not restored (deleted meanwhile): ${relation}`);
  if (outcome.scheduled && outcome.action === "lock") return { text: `Lock of ${subject} scheduled; they keep working until it starts.`, details };
  if (outcome.scheduled) return { text: `Resignation of ${subject} scheduled; they keep working until the leave date.`, details };
  return { text: `${ACTION_DONE[outcome.action as TLifecycleAction] ?? outcome.action} ${subject}.`, details };
}
