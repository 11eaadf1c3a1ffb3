"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { DANGER_OUTLINE_BUTTON } from "@/components/lifecycle/danger-button";
import { LifecycleActionDialog } from "@/components/lifecycle/lifecycle-action-dialog";
import { ACTION_DONE, ACTION_LABELS } from "@/components/lifecycle/lifecycle-labels";
import { RefusedMembers } from "@/components/lifecycle/refused-members";
import { countMembers } from "@/components/members/member-list-labels";
import { MAX_BULK_MEMBERS } from "@/server/lifecycle/schemas";
import type { TLifecycleActionOutcome } from "@/server/lifecycle/run-lifecycle-action";
import type { TLifecycleAction } from "@/server/shared/member-states";

/** What the selection can be given in the directory, and in the Archived view. */
const DIRECTORY_ACTIONS: readonly TLifecycleAction[] = ["lock", "unlock", "disable", "enable", "resign", "archive", "delete"];
const ARCHIVED_ACTIONS: readonly TLifecycleAction[] = ["unarchive", "delete"];
const DANGER_ACTIONS: ReadonlySet<TLifecycleAction> = new Set(["disable", "resign", "archive", "delete"]);

/** Lifecycle actions on the selected members: each opens the same dialog as on a member page, with the bulk preview. */
export function BulkLifecycleActions({
  memberIds,
  archivedView,
  onResult,
}: {
  memberIds: readonly string[];
  archivedView: boolean;
  onResult: (outcome: TLifecycleActionOutcome) => void;
}) {
  const queryClient = useQueryClient();
  const [action, setAction] = useState<TLifecycleAction | null>(null);
  const tooMany = memberIds.length > MAX_BULK_MEMBERS;
  return (
    <div className="flex flex-wrap items-center gap-2" role="group" aria-label="Change status">
      <span className="text-sm text-slate-600">Status:</span>
      {(archivedView ? ARCHIVED_ACTIONS : DIRECTORY_ACTIONS).map((candidate) => (
        <button
          key={candidate}
          type="button"
          disabled={tooMany}
          onClick={() => setAction(candidate)}
          className={DANGER_ACTIONS.has(candidate) ? DANGER_OUTLINE_BUTTON : SECONDARY_BUTTON}
        >
          {ACTION_LABELS[candidate]}…
        </button>
      ))}
      {tooMany ? <FormAlert>At most {MAX_BULK_MEMBERS.toLocaleString("en")} members at once: select fewer.</FormAlert> : null}
      {action ? (
        <LifecycleActionDialog
          action={action}
          memberIds={memberIds}
          subject={countMembers(memberIds.length)}
          onClose={() => setAction(null)}
          onDone={(outcome) => {
            setAction(null);
            onResult(outcome);
            // Statuses, relations, the list's views and counts all changed.
            void queryClient.invalidateQueries();
          }}
        />
      ) : null}
    </div>
  );
}

/** After a bulk action: how many changed, and each member left alone with the reason. */
export function BulkLifecycleResult({ outcome, onDismiss }: { outcome: TLifecycleActionOutcome; onDismiss: () => void }) {
  const changed = outcome.changed.length;
  const done = outcome.scheduled
    ? `Scheduled the ${outcome.action === "lock" ? "lock" : "resignation"} of ${countMembers(changed)}.`
    : `${ACTION_DONE[outcome.action as TLifecycleAction] ?? outcome.action} ${countMembers(changed)}.`;
  const notRestored = Object.values(outcome.notRestored).flat();
  return (
    <section aria-label="Bulk result" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p role="status" className="text-sm font-medium text-emerald-800">
          {done}
          {outcome.refused.length > 0 ? ` ${countMembers(outcome.refused.length)} not changed.` : ""}
        </p>
        <button type="button" onClick={onDismiss} className="text-sm font-medium text-brand-700 hover:underline">
          Dismiss
        </button>
      </div>
      {notRestored.length > 0 ? <p className="text-sm text-slate-700">Not restored (deleted meanwhile): {notRestored.join(", ")}</p> : null}
      {outcome.refused.length > 0 ? <RefusedMembers title="Not changed" refused={outcome.refused} /> : null}
    </section>
  );
}
