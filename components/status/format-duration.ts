/** "3 h 05 min", "12 min", "under a minute": session time, rounded down to the minute. */
export function formatDuration(seconds: number): string {
  const minutes = Math.floor(Math.max(0, seconds) / 60);
  if (minutes === 0) return seconds > 0 ? "under a minute" : "0 min";
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return `${hours.toLocaleString("en")} h ${String(minutes % 60).padStart(2, "0")} min`;
}
