import { STATUS_LABELS } from "@/components/members/member-list-labels";
import type { TMemberState } from "@/server/shared/member-states";

const STATE_COLOURS: Record<TMemberState, string> = {
  active: "bg-emerald-100 text-emerald-800",
  pending: "bg-sky-100 text-sky-800",
  locked: "bg-amber-100 text-amber-800",
  disabled: "bg-slate-200 text-slate-700",
  resigned: "bg-violet-100 text-violet-800",
  archived: "bg-stone-200 text-stone-700",
  deleted: "bg-rose-100 text-rose-800",
};

/** A member's lifecycle state, the same look in the list, on the member page and in the recycle bin. */
export function StateBadge({ state }: { state: TMemberState }) {
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-medium ${STATE_COLOURS[state]}`}>
      {STATUS_LABELS[state]}
    </span>
  );
}
