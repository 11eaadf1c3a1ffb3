import { z } from "zod";
import { ZImportMapping, type TImportMapping } from "@/server/imports/mapping-schemas";

// The upload streams the file as its body, so its mapping travels in a header.

export const MAPPING_HEADER = "x-import-mapping";
/** Well above any mapping of 60 columns, well below what a proxy refuses. */
export const MAX_MAPPING_HEADER_LENGTH = 12_000;

export function readMappingHeader(header: string | null): { mapping: TImportMapping | null } | { error: string } {
  if (header === null || header === "") return { mapping: null };
  if (header.length > MAX_MAPPING_HEADER_LENGTH) return { error: "The mapping is too long" };
  let json: unknown;
  try {
    json = JSON.parse(decodeURIComponent(header));
  } catch {
    return { error: "The mapping is not valid JSON" };
  }
  const parsed = ZImportMapping.safeParse(json);
  if (!parsed.success) return { error: `The mapping is not valid: ${z.prettifyError(parsed.error).slice(0, 500)}` };
  return { mapping: parsed.data };
}
