import type { TOffboardingPreview } from "@/server/lifecycle/preview-offboarding";

// A preview is a query (GET): its member ids travel in the URL, which servers
// cap at a few kilobytes. A large selection is therefore previewed in chunks,
// and since each member's relations and sessions are their own, the chunks'
// results add up to exactly the preview of the whole selection.

export const PREVIEW_CHUNK_SIZE = 200;
/** As the server: members shown one by one; the rest count in the totals. */
export const PREVIEW_DETAILED_MEMBERS = 50;

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

export function mergePreviews(previews: readonly TOffboardingPreview[]): TOffboardingPreview {
  const [first, ...rest] = previews;
  if (!first) throw new Error("mergePreviews needs at least one preview");
  const totals = { ...first.totals };
  for (const preview of rest) {
    for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += preview.totals[key];
  }
  return {
    action: first.action,
    affected: previews.reduce((sum, preview) => sum + preview.affected, 0),
    totals,
    members: previews.flatMap((preview) => preview.members).slice(0, PREVIEW_DETAILED_MEMBERS),
    refused: previews.flatMap((preview) => preview.refused),
  };
}
