import type { TAccessChanges, TAccessItem, TMemberAccessChange } from "@/server/access-changes/access-changes";
import { countMembers } from "@/components/members/member-list-labels";

// What an access change does, as text (issue 12 item 4): who gains and who
// loses which role, application or permission. Words carry the meaning
// ("gains", "loses"), colour only repeats it.

const itemText = (item: TAccessItem) => `${item.name} (${item.kind})`;

function ItemLine({ verb, items, tone }: { verb: "gains" | "loses"; items: readonly TAccessItem[]; tone: string }) {
  if (items.length === 0) return null;
  return (
    <p className="break-words">
      <span className={`font-semibold ${tone}`}>{verb}</span> {items.map(itemText).join(", ")}
    </p>
  );
}

function MemberChange({ member }: { member: TMemberAccessChange }) {
  return (
    <li className="space-y-0.5 px-2 py-1.5" aria-label={member.username}>
      <p className="break-words font-medium text-slate-900">{member.username}</p>
      <ItemLine verb="gains" items={member.gained} tone="text-emerald-800" />
      <ItemLine verb="loses" items={member.lost} tone="text-red-800" />
    </li>
  );
}

const count = (value: number, word: string) => `${value.toLocaleString("en")} ${word}${value === 1 ? "" : "s"}`;

/** Totals, then each member listed (the first 50) with what they gain and lose. */
export function AccessChangesSummary({ changes }: { changes: TAccessChanges }) {
  if (changes.affected === 0) {
    return (
      <section aria-label="Access changes" className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm text-slate-700">
        {"No one's access changes."}
      </section>
    );
  }
  return (
    <section aria-label="Access changes" className="space-y-2 rounded-md border border-amber-200 bg-amber-50/60 p-3 text-sm">
      <p data-testid="access-change-totals">
        The access of <span className="font-semibold">{countMembers(changes.affected)}</span> changes: {count(changes.totals.gained, "item")} gained,{" "}
        {count(changes.totals.lost, "item")} lost in total.
      </p>
      <ul aria-label="Members whose access changes" className="max-h-64 divide-y divide-amber-100 overflow-y-auto rounded border border-amber-100 bg-white text-xs">
        {changes.members.map((member) => (
          <MemberChange key={member.memberId} member={member} />
        ))}
      </ul>
      {changes.affected > changes.members.length ? (
        <p className="text-xs text-slate-600">The first {changes.members.length} members are listed; the totals count everyone.</p>
      ) : null}
    </section>
  );
}
