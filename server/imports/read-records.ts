import { Readable, pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { unguardCell } from "@/server/members/csv";
import { columnMeaning, type TColumnMeaning, type TIgnoredColumn, type TImportField } from "@/server/imports/columns";
import { ImportFileError } from "@/server/imports/import-file-error";
import type { TImportCells } from "@/server/imports/import-row";
import { arrayUnderKey, jsonArrayElements, ndjsonLines } from "@/server/imports/json-elements";
import { MAX_IMPORT_BYTES, MAX_RECORD_BYTES } from "@/server/imports/limits";
import type { TImportMapping } from "@/server/imports/mapping-schemas";
import { keyPaths, mapRecord, valueAtPath, type TSourceStatus } from "@/server/imports/mapping-transforms";

// Turns an upload's bytes into rows of cells by field, streaming: CSV (UTF-8,
// with or without BOM, header names as in the specification), a JSON array of
// objects, NDJSON, or one object holding a users array (a Keycloak realm
// export). The format is read from the first character (and, for "{", from
// whether the first line is a whole object). With a mapping (another
// system's export), its entries say which column gives which field instead.

export type TImportFormat = "csv" | "json" | "ndjson";
/** One record of the file; `problem` when it cannot be read as a member at all; `sourceStatus` from a mapped status column. */
export type TSourceRecord = { rowNumber: number; cells: TImportCells; problem?: string; sourceStatus?: TSourceStatus | null };

/** What the file's columns (or JSON keys) turned out to be, filled in while reading. */
export class ColumnReport {
  private readonly meanings = new Map<string, TColumnMeaning>();
  readonly ignored = new Map<string, string>();
  readonly seenFields = new Set<TImportField>();
  /** The file's columns as written (CSV header, or the key paths of the first JSON records), for the mapping step. */
  readonly header: string[] = [];

  addHeader(columns: string[]): void {
    for (const column of columns) if (this.header.length < 500 && !this.header.includes(column)) this.header.push(column);
  }

  meaningOf(column: string): TColumnMeaning {
    let meaning = this.meanings.get(column);
    if (!meaning) {
      meaning = columnMeaning(column);
      // A JSON file could carry endless distinct keys: remember a bounded number.
      if (this.meanings.size < 1000) this.meanings.set(column, meaning);
      if ("field" in meaning) this.seenFields.add(meaning.field);
      else if (this.ignored.size < 100) this.ignored.set(column, meaning.ignored);
    }
    return meaning;
  }

  ignoredColumns(): TIgnoredColumn[] {
    return [...this.ignored].map(([column, reason]) => ({ column, reason }));
  }
}

const BOM = [0xef, 0xbb, 0xbf];

/** The upload's bytes, refused past the size limit while they arrive (a missing or false Content-Length changes nothing). */
async function* limited(body: AsyncIterable<Uint8Array>, maxBytes: number): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const chunk of body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw new ImportFileError(`The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB: split it into smaller files`);
    // A Buffer view (no copy): the CSV parser reads Buffers, not plain Uint8Arrays.
    yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Reads until the first meaningful byte to tell the format; the bytes come back without the BOM. */
async function sniff(body: AsyncIterable<Uint8Array>): Promise<{ format: TImportFormat | "object"; bytes: AsyncIterable<Uint8Array> }> {
  const iterator = body[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let first: number | undefined;
  let atStart = true;
  while (first === undefined) {
    const next = await iterator.next();
    if (next.done) break;
    let chunk = next.value;
    if (atStart && chunk.length >= 3 && BOM.every((byte, index) => chunk[index] === byte)) chunk = chunk.subarray(3);
    atStart = false;
    head.push(chunk);
    first = chunk.find((byte) => byte !== 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d);
  }
  if (first === undefined) throw new ImportFileError("The file is empty");
  let format: TImportFormat | "object" = first === 0x5b /* [ */ ? "json" : first === 0x7b /* { */ ? "ndjson" : "csv";
  if (format === "ndjson") {
    // One object per line, or one object over many lines (a realm export): the first line tells.
    let headBytes = head.reduce((total, chunk) => total + chunk.length, 0);
    const hasNewline = () => head.some((chunk) => chunk.includes(0x0a));
    while (!hasNewline() && headBytes <= MAX_RECORD_BYTES) {
      const next = await iterator.next();
      if (next.done) break;
      head.push(next.value);
      headBytes += next.value.length;
    }
    const text = new TextDecoder("utf-8").decode(Buffer.concat(head)).trimStart();
    const newline = text.indexOf("\n");
    const firstLine = newline < 0 ? text : text.slice(0, newline);
    if (!isJson(firstLine)) format = "object";
  }
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { format, bytes: rest() };
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function* decoded(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of bytes) yield decoder.decode(chunk, { stream: true });
  const tail = decoder.decode();
  if (tail) yield tail;
}

function headerFields(header: string[], columns: ColumnReport): (TImportField | null)[] {
  const fields = header.map((name) => {
    const meaning = columns.meaningOf(name.trim() || "(a column without a name)");
    return "field" in meaning ? meaning.field : null;
  });
  const firstColumnOf = new Map<TImportField, string>();
  fields.forEach((field, index) => {
    if (!field) return;
    const earlier = firstColumnOf.get(field);
    if (earlier !== undefined) throw new ImportFileError(`The columns “${earlier}” and “${header[index]}” both give ${field}: keep one`);
    firstColumnOf.set(field, header[index]!);
  });
  if (!fields.includes("username")) {
    throw new ImportFileError(
      `The file has no username column: every row needs a username, which finds the member to update or names the one to create. Columns found: ${header.slice(0, 20).join(", ")}`,
    );
  }
  return fields;
}

/** With a mapping: where each mapped column is in the header; a mapped column the file lacks is an error (not a silent blank). */
function mappedHeader(header: string[], mapping: TImportMapping, columns: ColumnReport): Map<string, number> {
  const indexByName = new Map<string, number>();
  header.forEach((name, index) => {
    const key = name.trim().toLowerCase();
    if (!indexByName.has(key)) indexByName.set(key, index);
  });
  const indexBySource = new Map<string, number>();
  for (const entry of mapping.entries) {
    const index = indexByName.get(entry.source.trim().toLowerCase());
    if (index === undefined) {
      throw new ImportFileError(`The mapping reads the column “${entry.source}”, which this file does not have. Columns found: ${header.slice(0, 20).join(", ")}`);
    }
    indexBySource.set(entry.source, index);
    if (entry.target !== "sourceStatus") columns.seenFields.add(entry.target);
  }
  const mappedIndexes = new Set(indexBySource.values());
  header.forEach((name, index) => {
    if (!mappedIndexes.has(index) && columns.ignored.size < 100) columns.ignored.set(name.trim() || "(a column without a name)", "not mapped to a member field");
  });
  return indexBySource;
}

async function* csvRecords(bytes: AsyncIterable<Uint8Array>, columns: ColumnReport, mapping: TImportMapping | null): AsyncGenerator<TSourceRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES });
  // Errors of the source (the size limit) reach the parser, and so the loop below.
  pipeline(Readable.from(bytes), parser, () => undefined);
  let fields: (TImportField | null)[] | null = null;
  let sources: Map<string, number> | null = null;
  let width = 0;
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (width === 0) {
        width = record.length;
        columns.addHeader(record.map((name) => name.trim()));
        if (mapping) sources = mappedHeader(record, mapping, columns);
        else fields = headerFields(record, columns);
        continue;
      }
      rowNumber += 1;
      const problem = record.length === width ? undefined : `This row has ${record.length} cells; the header has ${width}`;
      if (mapping && sources) {
        const indexes = sources;
        const mapped = mapRecord(mapping, (source) => {
          const index = indexes.get(source);
          return index === undefined || index >= record.length ? undefined : unguardCell(record[index]!);
        });
        yield { rowNumber, cells: mapped.cells, sourceStatus: mapped.sourceStatus, problem: problem ?? mapped.problem };
        continue;
      }
      if (!fields) continue;
      const cells: TImportCells = {};
      fields.forEach((field, index) => {
        if (field && index < record.length) cells[field] = unguardCell(record[index]!);
      });
      yield { rowNumber, cells, problem };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new ImportFileError(`The CSV cannot be read: ${error.message.slice(0, 300)}`);
    throw error;
  } finally {
    parser.destroy();
  }
}

function objectCells(text: string, columns: ColumnReport): { cells: TImportCells; problem?: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { cells: {}, problem: "Not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { cells: {}, problem: "Each member must be a JSON object" };
  const cells: TImportCells = {};
  for (const [key, cell] of Object.entries(value)) {
    const meaning = columns.meaningOf(key);
    if (!("field" in meaning)) continue;
    if (meaning.field in cells) return { cells, problem: `Two keys give ${meaning.field}: keep one` };
    cells[meaning.field] = cell;
  }
  return { cells };
}

/** A JSON record through a mapping: key paths (attributes.mobile) instead of the specification's names. */
function mappedObjectCells(text: string, columns: ColumnReport, mapping: TImportMapping, rowNumber: number): Omit<TSourceRecord, "rowNumber"> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { cells: {}, problem: "Not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { cells: {}, problem: "Each member must be a JSON object" };
  if (rowNumber <= 10) columns.addHeader(keyPaths(value));
  const mapped = mapRecord(mapping, (source) => valueAtPath(value, source));
  for (const field of Object.keys(mapped.cells) as TImportField[]) columns.seenFields.add(field);
  return mapped;
}

async function* jsonRecords(texts: AsyncIterable<string>, columns: ColumnReport, mapping: TImportMapping | null): AsyncGenerator<TSourceRecord> {
  let rowNumber = 0;
  for await (const text of texts) {
    rowNumber += 1;
    if (mapping) {
      yield { rowNumber, ...mappedObjectCells(text, columns, mapping, rowNumber) };
      continue;
    }
    if (rowNumber <= 10) {
      try {
        columns.addHeader(keyPaths(JSON.parse(text)));
      } catch {
        // Reported as the row's problem below.
      }
    }
    yield { rowNumber, ...objectCells(text, columns) };
  }
}

function jsonTexts(format: Exclude<TImportFormat, "csv"> | "object", bytes: AsyncIterable<Uint8Array>): AsyncIterable<string> {
  if (format === "ndjson") return ndjsonLines(decoded(bytes), MAX_RECORD_BYTES);
  const array = format === "object" ? arrayUnderKey(decoded(bytes), "users") : decoded(bytes);
  return jsonArrayElements(array, MAX_RECORD_BYTES);
}

/** Opens an upload: its format, and its records one at a time (pulling more bytes only as records are consumed). */
export async function openImportFile(
  body: AsyncIterable<Uint8Array>,
  options: { maxBytes?: number; mapping?: TImportMapping | null } = {},
): Promise<{ format: TImportFormat; records: AsyncGenerator<TSourceRecord>; columns: ColumnReport }> {
  const { format, bytes } = await sniff(limited(body, options.maxBytes ?? MAX_IMPORT_BYTES));
  const columns = new ColumnReport();
  const mapping = options.mapping ?? null;
  const records = format === "csv" ? csvRecords(bytes, columns, mapping) : jsonRecords(jsonTexts(format, bytes), columns, mapping);
  return { format: format === "object" ? "json" : format, records, columns };
}
