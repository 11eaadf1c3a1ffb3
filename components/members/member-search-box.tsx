"use client";

import { useEffect, useEffectEvent, useState } from "react";

export const SEARCH_DEBOUNCE_MS = 300;

/**
 * The member list's search box. What is typed stays in the box as typed and is
 * sent (trimmed) 300 ms after the last keystroke, or at once on Enter. When the
 * URL's search changes for another reason (Clear filters, Back), the box shows it.
 */
export function MemberSearchBox({
  id,
  value,
  disabled,
  onCommit,
}: {
  id: string;
  /** The search the list currently applies (from the URL). */
  value: string;
  disabled?: boolean;
  onCommit: (search: string) => void;
}) {
  // What is typed and not yet replaced by a change from elsewhere; null: show `value`.
  const [draft, setDraft] = useState<string | null>(null);
  // The last search this box sent, to tell its own changes of `value` from others.
  const [sent, setSent] = useState<string | null>(null);
  const [seenValue, setSeenValue] = useState(value);
  if (value !== seenValue) {
    setSeenValue(value);
    if (value !== sent) setDraft(null);
  }

  const send = (text: string) => {
    const search = text.trim();
    if (search === value) return;
    setSent(search);
    onCommit(search);
  };
  // The latest `value` and `onCommit` when the timer fires, without restarting it on every render.
  const sendLater = useEffectEvent(send);

  useEffect(() => {
    if (draft === null) return;
    const timer = setTimeout(() => sendLater(draft), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [draft]);

  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-700">
        Search members
      </label>
      <input
        id={id}
        type="search"
        value={draft ?? value}
        maxLength={100}
        disabled={disabled}
        autoComplete="off"
        spellCheck={false}
        placeholder="Name, username, email or mobile"
        aria-describedby={`${id}-hint`}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key !== "Enter") return;
          event.preventDefault();
          send(event.currentTarget.value);
        }}
        className="block w-full rounded-md border border-slate-300 px-3 py-2 text-sm shadow-sm outline-none focus:ring-2 focus:ring-brand-600 disabled:bg-slate-100"
      />
      <p id={`${id}-hint`} className="text-xs text-slate-500">
        One or two letters find names starting with them; more find any part, or a near miss.
      </p>
    </div>
  );
}
