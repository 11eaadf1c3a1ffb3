import { countTicks, niceCeiling, shortDay } from "@/components/charts/chart-scale";

export type TDailyPoint = { day: string; value: number };

// The drawing's own units; the SVG scales to its container's width (no
// sideways scroll on a phone), so sizes here are relative.
const WIDTH = 600;
const HEIGHT = 200;
const PLOT = { left: 40, right: 8, top: 12, bottom: 28 };

/**
 * A count per day as bars, with a count axis (0, half, top) and the first,
 * middle and last day under the bars. Read without colour: one series per
 * chart (titled), the numbers in a sentence under it and, for screen readers,
 * in `aria-label` and a visually hidden table of every day.
 */
export function DailyBars({ title, unit, points }: { title: string; unit: string; points: readonly TDailyPoint[] }) {
  const total = points.reduce((sum, point) => sum + point.value, 0);
  const peak = points.reduce<TDailyPoint | null>((best, point) => (point.value > (best?.value ?? 0) ? point : best), null);
  const top = niceCeiling(peak?.value ?? 0);
  const plotWidth = WIDTH - PLOT.left - PLOT.right;
  const plotHeight = HEIGHT - PLOT.top - PLOT.bottom;
  const slot = plotWidth / Math.max(points.length, 1);
  const y = (value: number) => PLOT.top + plotHeight - (value / top) * plotHeight;
  const first = points[0]?.day;
  const last = points.at(-1)?.day;
  const range = first && last ? `${shortDay(first)} to ${shortDay(last)}` : "no days";
  const summary =
    total === 0
      ? `None in ${points.length} days (${range}).`
      : `${total.toLocaleString("en")} ${unit} in ${points.length} days (${range}); most on ${shortDay(peak!.day)}: ${peak!.value.toLocaleString("en")}.`;
  const labelled = new Set([0, Math.floor((points.length - 1) / 2), points.length - 1]);

  return (
    <figure className="min-w-0">
      <figcaption className="text-sm font-medium text-slate-800">{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="mt-2 h-auto w-full" role="img" aria-label={`${title}: ${summary}`}>
        {countTicks(top).map((tick) => (
          <g key={tick}>
            <line x1={PLOT.left} x2={WIDTH - PLOT.right} y1={y(tick)} y2={y(tick)} className={tick === 0 ? "stroke-slate-500" : "stroke-slate-200"} strokeWidth={1} />
            <text x={PLOT.left - 6} y={y(tick)} dy="0.35em" textAnchor="end" className="fill-slate-600" fontSize={13}>
              {tick.toLocaleString("en")}
            </text>
          </g>
        ))}
        {points.map((point, index) => {
          const height = y(0) - y(point.value);
          const x = PLOT.left + index * slot + slot * 0.15;
          return (
            <g key={point.day}>
              {point.value > 0 ? <rect x={x} y={y(point.value)} width={slot * 0.7} height={height} rx={2} className="fill-brand-600" /> : null}
              {labelled.has(index) ? (
                <text x={x + slot * 0.35} y={HEIGHT - 8} textAnchor={index === 0 ? "start" : index === points.length - 1 ? "end" : "middle"} className="fill-slate-600" fontSize={13}>
                  {shortDay(point.day)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
      <p className="mt-1 text-xs text-slate-600">{summary}</p>
      <table className="sr-only">
        <caption>{title}, per day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col">{unit}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((point) => (
            <tr key={point.day}>
              <th scope="row">{shortDay(point.day)}</th>
              <td>{point.value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
