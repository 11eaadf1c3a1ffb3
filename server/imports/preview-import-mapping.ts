import type { TDatabase } from "@/server/db/client";
import { ValidationError } from "@/server/errors";
import { DepartmentResolver } from "@/server/imports/department-resolver";
import { ImportFileError } from "@/server/imports/import-file-error";
import { checkImportRow, type TImportValues, type TRowProblem } from "@/server/imports/import-row";
import { savedMappingFor } from "@/server/imports/import-mappings";
import { detectPreset, isTenureHeader, presetMapping, specificationMapping, type TMappingPreset } from "@/server/imports/mapping-presets";
import { ZMappingPreviewInput, type TImportMapping, type TMappingPreviewInput } from "@/server/imports/mapping-schemas";
import { openImportFile, type TSourceRecord } from "@/server/imports/read-records";
import { cellText, type TSourceStatus } from "@/server/imports/mapping-transforms";
import { Readable } from "node:stream";

// The mapping step: from the start of a file, the columns it has, the mapping
// Tenure proposes (a saved one made for the same columns, else the preset of
// the system it comes from, else Tenure's own names), and the first rows as
// the import would write them, with the errors its checks would raise.

export const PREVIEW_ROWS = 10;

/** Where the proposal comes from; "specification": Tenure's own columns, imported without a mapping; "unrecognised": the admin maps. */
export type TMappingOrigin =
  | { kind: "saved"; mappingId: string; name: string }
  | { kind: "preset"; preset: TMappingPreset }
  | { kind: "specification" }
  | { kind: "unrecognised" };
export type TPreviewRow = {
  rowNumber: number;
  values: TImportValues | null;
  /** The mapped cells as read (before the checks), for a row that fails them. */
  cells: Record<string, string>;
  sourceStatus: TSourceStatus | null;
  problems: TRowProblem[];
};

const asText = (value: unknown) => (value === null || value === undefined ? "" : cellText(value)).slice(0, 200);

async function firstRecords(sample: string, mapping: TImportMapping) {
  const file = await openImportFile(Readable.from([Buffer.from(sample, "utf8")]), { mapping });
  const records: TSourceRecord[] = [];
  try {
    for await (const record of file.records) {
      records.push(record);
      if (records.length >= PREVIEW_ROWS) break;
    }
  } catch (error) {
    // The end of a cut sample (an unclosed array or quote) is not the file's fault: the rows before it are shown.
    if (!(error instanceof ImportFileError) || records.length === 0) throw error;
  }
  return { format: file.format, columns: file.columns, records };
}

export async function previewImportMapping(db: TDatabase, tenantId: bigint, rawInput: TMappingPreviewInput) {
  const input = ZMappingPreviewInput.parse(rawInput);
  const sample = input.sample;
  try {
    // A mapping of nothing reads every column as "not mapped": the file's columns, whatever they are named.
    const probe = await firstRecords(sample, { sourceName: "probe", entries: [] });
    const columns = probe.columns.header;
    let mapping = input.mapping ?? null;
    let origin: TMappingOrigin | null = null;
    if (!mapping) {
      const saved = await savedMappingFor(db, tenantId, columns);
      const preset = detectPreset(columns);
      if (saved) [mapping, origin] = [saved.mapping, { kind: "saved", mappingId: saved.id, name: saved.name }];
      else if (preset) [mapping, origin] = [presetMapping(preset, columns), { kind: "preset", preset }];
      else [mapping, origin] = [specificationMapping(columns), isTenureHeader(columns) ? { kind: "specification" } : { kind: "unrecognised" }];
    }
    const departments = await DepartmentResolver.load(db, tenantId);
    const mapped = mapping.entries.length > 0 ? await firstRecords(sample, mapping) : { records: [] };
    const rows = mapped.records.map((record): TPreviewRow => {
      const checked = record.problem ? { values: null, problems: [{ field: null, message: record.problem }] } : checkImportRow(record.cells, departments);
      return {
        rowNumber: record.rowNumber,
        values: checked.values,
        cells: Object.fromEntries(Object.entries(record.cells).map(([field, value]) => [field, asText(value)])),
        sourceStatus: record.sourceStatus ?? null,
        problems: checked.problems,
      };
    });
    return { format: probe.format, columns, mapping, origin, rows };
  } catch (error) {
    if (error instanceof ImportFileError) throw new ValidationError(error.message, { sample: [error.message] });
    throw error;
  }
}
export type TMappingPreview = Awaited<ReturnType<typeof previewImportMapping>>;
