// RFC 4180 CSV, safe to open in a spreadsheet: a cell that a spreadsheet would
// run as a formula (starting with = + - @ or a control character) gets a
// leading apostrophe, which the importer removes again.

const FORMULA_START = /^[=+\-@\t\r]/;

export type TCsvValue = string | number | bigint | boolean | Date | null | undefined;

export function csvCell(value: TCsvValue): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly TCsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** Undoes the formula guard of `csvCell` on an imported cell. */
export function unguardCell(text: string): string {
  return text.startsWith("'") && FORMULA_START.test(text.slice(1)) ? text.slice(1) : text;
}
