"use client";

import { useId, type ReactNode } from "react";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import type { TAccessChanges, TAccessItem } from "@/server/access-changes/access-changes";
import { ScrollRegion } from "@/components/list/scroll-region";

// The one dialog that shows who gains and who loses what before an access
// change is confirmed (grants to departments and groups, transfers, department
// moves, role policies). The server computes `changes` by running the very
// change and rolling it back (server/access-changes/access-changes.ts).

const countOf = (count: number, one: string, many = `${one}s`) => `${count.toLocaleString("en")} ${count === 1 ? one : many}`;

function ItemList({ items, verb }: { items: TAccessItem[]; verb: "gains" | "loses" }) {
  if (items.length === 0) return null;
  return (
    <p>
      <span className={`font-semibold ${verb === "gains" ? "text-emerald-800" : "text-red-800"}`}>{verb === "gains" ? "Gains" : "Loses"}:</span>{" "}
      {items.map((item) => `${item.name} (${item.kind})`).join(", ")}
    </p>
  );
}

/** What a change does, as text: the totals, then the first members with their gains and losses. */
export function AccessChangeSummary({ changes }: { changes: TAccessChanges }) {
  if (changes.affected === 0) {
    return (
      <section aria-label="Access changes" className="text-sm text-slate-700">
        No member’s access changes: everyone reached already holds this some other way, or nobody is reached yet.
      </section>
    );
  }
  return (
    <section aria-label="Access changes" className="space-y-3 text-sm">
      <p data-testid="access-change-totals">
        <span className="font-semibold">{countOf(changes.affected, "member")}</span> {changes.affected === 1 ? "changes" : "change"}.
      </p>
      <ul aria-label="Totals" className="flex flex-wrap gap-2">
        <li className="rounded bg-emerald-50 px-2 py-1 text-emerald-900">
          Gained: <span className="font-semibold">{countOf(changes.totals.gained, "grant")}</span>
        </li>
        <li className="rounded bg-red-50 px-2 py-1 text-red-900">
          Lost: <span className="font-semibold">{countOf(changes.totals.lost, "grant")}</span>
        </li>
      </ul>
      <ScrollRegion label="Per member, scrolls" className="max-h-64 overflow-y-auto rounded border border-slate-200">
        <ul aria-label="Per member" className="divide-y divide-slate-100">
        {changes.members.map((member) => (
          <li key={member.memberId} aria-label={member.username} className="space-y-0.5 px-2 py-1.5 break-words">
            <p className="font-medium">{member.username}</p>
            <ItemList items={member.gained} verb="gains" />
            <ItemList items={member.lost} verb="loses" />
          </li>
        ))}
        </ul>
      </ScrollRegion>
      {changes.affected > changes.members.length ? (
        <p className="text-xs text-slate-500">The first {changes.members.length} members are listed; the totals count everyone.</p>
      ) : null}
    </section>
  );
}

/** The preview as a confirmation dialog: nothing changes until `onConfirm`. */
export function AccessChangePreview({
  changes,
  title,
  confirmLabel,
  onConfirm,
  onCancel,
  pending = false,
  error = null,
  children,
}: {
  changes: TAccessChanges;
  title: string;
  /** The confirming button's words: "Grant to Engineering and below", never "OK". */
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** The confirmed change is being sent. */
  pending?: boolean;
  /** Why the confirmed change was refused. */
  error?: string | null;
  /** Anything to say above the changes (what exactly is being changed). */
  children?: ReactNode;
}) {
  const descriptionId = useId();
  return (
    <ModalDialog title={title} wide busy={pending} describedBy={descriptionId} onClose={onCancel}>
      <div id={descriptionId} className="mb-4 space-y-3">
        {children}
        <AccessChangeSummary changes={changes} />
      </div>
      {error ? (
        <div className="mb-3">
          <FormAlert>{error}</FormAlert>
        </div>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <button type="button" data-autofocus onClick={onConfirm} disabled={pending} aria-busy={pending || undefined} className={PRIMARY_BUTTON}>
          {pending ? "Applying…" : confirmLabel}
        </button>
        <button type="button" onClick={onCancel} disabled={pending} className={SECONDARY_BUTTON}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
