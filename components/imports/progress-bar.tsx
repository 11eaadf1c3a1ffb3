/** A labelled bar for a known amount of work (upload bytes, applied rows), announced to screen readers. */
export function ProgressBar({ label, value, max, detail }: { label: string; value: number; max: number; detail?: string }) {
  const percent = Math.min(100, Math.round((100 * value) / Math.max(max, 1)));
  return (
    <div className="space-y-1">
      <div className="flex justify-between text-sm">
        <span className="font-medium text-slate-700">{label}</span>
        {detail ? <span className="text-slate-600">{detail}</span> : null}
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={value}
        aria-valuetext={detail}
        className="h-2.5 w-full overflow-hidden rounded-full bg-slate-200"
      >
        <div className="h-full rounded-full bg-brand-600 transition-[width]" style={{ width: `${percent}%` }} />
      </div>
    </div>
  );
}
