import { Readable, pipeline } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { unguardCell } from "@/server/members/csv";
import { columnMeaning, type TColumnMeaning, type TIgnoredColumn, type TImportField } from "@/server/imports/columns";
import { ImportFileError } from "@/server/imports/import-file-error";
import type { TImportCells } from "@/server/imports/import-row";
import { jsonArrayElements, ndjsonLines } from "@/server/imports/json-elements";
import { MAX_IMPORT_BYTES, MAX_RECORD_BYTES } from "@/server/imports/limits";

// Turns an upload's bytes into rows of cells by field, streaming: CSV (UTF-8,
// with or without BOM, header names as in the specification), a JSON array of
// objects, or NDJSON. The format is read from the first character.

export type TImportFormat = "csv" | "json" | "ndjson";
/** One record of the file; `problem` when it cannot be read as a member at all. */
export type TSourceRecord = { rowNumber: number; cells: TImportCells; problem?: string };

/** What the file's columns (or JSON keys) turned out to be, filled in while reading. */
export class ColumnReport {
  private readonly meanings = new Map<string, TColumnMeaning>();
  readonly ignored = new Map<string, string>();
  readonly seenFields = new Set<TImportField>();

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
async function sniff(body: AsyncIterable<Uint8Array>): Promise<{ format: TImportFormat; bytes: AsyncIterable<Uint8Array> }> {
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
  const format: TImportFormat = first === 0x5b /* [ */ ? "json" : first === 0x7b /* { */ ? "ndjson" : "csv";
  async function* rest(): AsyncGenerator<Uint8Array> {
    yield* head;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { format, bytes: rest() };
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

async function* csvRecords(bytes: AsyncIterable<Uint8Array>, columns: ColumnReport): AsyncGenerator<TSourceRecord> {
  const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: MAX_RECORD_BYTES });
  // Errors of the source (the size limit) reach the parser, and so the loop below.
  pipeline(Readable.from(bytes), parser, () => undefined);
  let fields: (TImportField | null)[] | null = null;
  let rowNumber = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      if (!fields) {
        fields = headerFields(record, columns);
        continue;
      }
      rowNumber += 1;
      const cells: TImportCells = {};
      fields.forEach((field, index) => {
        if (field && index < record.length) cells[field] = unguardCell(record[index]!);
      });
      const problem = record.length === fields.length ? undefined : `This row has ${record.length} cells; the header has ${fields.length}`;
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

async function* jsonRecords(texts: AsyncIterable<string>, columns: ColumnReport): AsyncGenerator<TSourceRecord> {
  let rowNumber = 0;
  for await (const text of texts) {
    rowNumber += 1;
    yield { rowNumber, ...objectCells(text, columns) };
  }
}

/** Opens an upload: its format, and its records one at a time (pulling more bytes only as records are consumed). */
export async function openImportFile(
  body: AsyncIterable<Uint8Array>,
  maxBytes = MAX_IMPORT_BYTES,
): Promise<{ format: TImportFormat; records: AsyncGenerator<TSourceRecord>; columns: ColumnReport }> {
  const { format, bytes } = await sniff(limited(body, maxBytes));
  const columns = new ColumnReport();
  const records =
    format === "csv"
      ? csvRecords(bytes, columns)
      : jsonRecords(format === "json" ? jsonArrayElements(decoded(bytes), MAX_RECORD_BYTES) : ndjsonLines(decoded(bytes), MAX_RECORD_BYTES), columns);
  return { format, records, columns };
}
