// The heatmap's colour scale: five bands of share, each with a text colour
// that keeps its count readable (WCAG AA on its fill). Colour is never the
// only signal: every cell also prints its count and percent, and outliers
// carry a symbol.

export type TShareBand = { upTo: number; label: string; fill: string; text: string };

export const SHARE_BANDS: readonly TShareBand[] = [
  { upTo: 0.2, label: "1–20%", fill: "#dbeafe", text: "#0f172a" },
  { upTo: 0.4, label: "21–40%", fill: "#93c5fd", text: "#0f172a" },
  { upTo: 0.6, label: "41–60%", fill: "#60a5fa", text: "#0f172a" },
  { upTo: 0.8, label: "61–80%", fill: "#2563eb", text: "#ffffff" },
  { upTo: 1, label: "81–100%", fill: "#1e3a8a", text: "#ffffff" },
];

export const EMPTY_FILL = "#ffffff";

/** The band of the percent the cell prints (rounded), so a cell reading "20%" is never in the 21–40% band. */
export function bandOf(share: number): TShareBand {
  const percent = Math.round(share * 100);
  return SHARE_BANDS.find((band) => percent <= Math.round(band.upTo * 100)) ?? SHARE_BANDS[SHARE_BANDS.length - 1]!;
}

/** 0.3 → "30%"; below 1% but not zero → "<1%", so a held cell never reads as none. */
export function formatShare(share: number): string {
  if (share <= 0) return "0%";
  if (share < 0.01) return "<1%";
  return `${Math.round(share * 100)}%`;
}

export const plural = (count: number, word: string) => `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;
