import type { ReactNode } from "react";

export type TRankedItem = { key: string; label: ReactNode; value: number; valueText: string };

/**
 * A ranked list whose bars show each value against the largest. The bars are
 * decoration (aria-hidden): every value is written beside its name, so the
 * list reads the same without colour or sight.
 */
export function RankedBars({ items, label }: { items: readonly TRankedItem[]; label: string }) {
  const largest = Math.max(1, ...items.map((item) => item.value));
  return (
    <ol aria-label={label} className="space-y-2">
      {items.map((item) => (
        <li key={item.key} className="min-w-0 text-sm">
          <div className="flex flex-wrap items-baseline justify-between gap-x-3">
            <span className="min-w-0 truncate">{item.label}</span>
            <span className="shrink-0 tabular-nums text-slate-700">{item.valueText}</span>
          </div>
          <div aria-hidden="true" className="mt-1 h-2 rounded bg-slate-100">
            <div className="h-2 rounded bg-brand-600" style={{ width: `${Math.max(2, (item.value / largest) * 100)}%` }} />
          </div>
        </li>
      ))}
    </ol>
  );
}
