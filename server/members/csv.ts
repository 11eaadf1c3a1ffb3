// RFC 4180 CSV, safe to open in a spreadsheet (OWASP "CSV Injection"): a cell a
// spreadsheet would run as a formula gets a leading apostrophe, which the
// importer removes again. Not every cell starting with + or -: a phone number
// ("+44 20 7946 0958", or the E.164 "+447400123456") is left as it is, so the
// file stays usable; only what a spreadsheet could evaluate is guarded.

/** Always a formula, or a control character that starts one in some spreadsheets. */
const ALWAYS_GUARDED = /^[=@\t\r\n]/;
/** A sign followed only by digits and spaces: a phone number or a plain number, nothing a spreadsheet could run. */
const SIGNED_NUMBER = /^[+-][\d ]*$/;
/** What the importer strips: every guard this file ever wrote (older exports guarded every leading + and -). */
const GUARDED_BY_ANY_VERSION = /^'[=+\-@\t\r\n]/;

export type TCsvValue = string | number | bigint | boolean | Date | null | undefined;

/** Whether a spreadsheet could read this text as a formula: = @ tab CR LF first, or + - followed by anything but digits and spaces. */
export function couldRunAsFormula(text: string): boolean {
  if (ALWAYS_GUARDED.test(text)) return true;
  return (text.startsWith("+") || text.startsWith("-")) && !SIGNED_NUMBER.test(text);
}

export function csvCell(value: TCsvValue): string {
  if (value === null || value === undefined) return "";
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (couldRunAsFormula(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvLine(values: readonly TCsvValue[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}

/** Undoes the formula guard of `csvCell` on an imported cell. */
export function unguardCell(text: string): string {
  return GUARDED_BY_ANY_VERSION.test(text) ? text.slice(1) : text;
}
