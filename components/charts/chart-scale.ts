/**
 * The top of a count axis: the smallest of 1, 2, 5 × 10ⁿ (and 1 at least)
 * that holds `max`, so the ticks at 0, half and top are whole, readable numbers.
 */
export function niceCeiling(max: number): number {
  if (!Number.isFinite(max) || max <= 1) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= max) return step * magnitude;
  }
  return 10 * magnitude;
}

/** Ticks at 0, the middle (when whole) and the top. */
export function countTicks(top: number): number[] {
  return top % 2 === 0 ? [0, top / 2, top] : [0, top];
}

/** "4 Dec" for a YYYY-MM-DD day (a UTC day: the status overview counts UTC days). */
export function shortDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", timeZone: "UTC" }).format(date);
}
