import { SHARE_BANDS } from "@/components/heatmap/heatmap-scale";

/** What the colours and the symbol mean, in words beside each swatch. */
export function HeatmapLegend({ outlierRule }: { outlierRule: { maxHolders: number; maxShare: number } }) {
  return (
    <div className="space-y-1 text-sm text-slate-700">
      <p>
        Each cell shows how many of the department’s members (who can sign in) hold the permission, and what share they are. Departments list their
        direct members; the number beside a department is its members.
      </p>
      <ul aria-label="Legend" className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <li className="flex items-center gap-1.5">
          <span aria-hidden="true" className="inline-block h-4 w-4 rounded-sm border border-slate-300 bg-white" />
          Blank: nobody
        </li>
        {SHARE_BANDS.map((band) => (
          <li key={band.label} className="flex items-center gap-1.5">
            <span aria-hidden="true" className="inline-block h-4 w-4 rounded-sm border border-slate-300" style={{ backgroundColor: band.fill }} />
            {band.label}
          </li>
        ))}
        <li className="flex items-center gap-1.5">
          <svg aria-hidden="true" width="16" height="16" viewBox="0 0 16 16">
            <path d="M2 2 h12 v12 z" fill="#f59e0b" stroke="#78350f" />
          </svg>
          Outlier: at most {outlierRule.maxHolders} members and {Math.round(outlierRule.maxShare * 100)}% of the department
        </li>
      </ul>
    </div>
  );
}
