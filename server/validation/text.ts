import { z } from "zod";

// The one string rule of every input boundary (zod schemas in server/*/schemas.ts):
// no control characters (C0, DEL, C1: a NUL makes PostgreSQL refuse the whole
// statement, the others hide text in logs and lists), well-formed Unicode (no lone
// surrogates), and a hard cap before any other check runs, so a huge input costs
// nothing. Pure: safe to import from client components.

/** Far above any field's own limit: a request beyond it is refused before trimming or matching. */
export const HARD_TEXT_LIMIT = 100_000;

const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
/** Multi-line text keeps tab and line breaks. */
const CONTROL_EXCEPT_LAYOUT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;

export const CONTROL_CHARACTER_MESSAGE = "Remove the control characters (such as NUL) from this text";

function isWellFormed(value: string): boolean {
  // String.prototype.isWellFormed (ES2024) is not in every lib target yet.
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value);
}

export function hasForbiddenCharacters(value: string, multiline = false): boolean {
  return (multiline ? CONTROL_EXCEPT_LAYOUT : CONTROL).test(value) || !isWellFormed(value);
}

const refused = (multiline: boolean) => (value: string) => value.length > HARD_TEXT_LIMIT || !hasForbiddenCharacters(value, multiline);

/**
 * One line of text, trimmed; chain the field's own `.min()`/`.max()`/`.regex()`.
 * (Checks run in order, and all of them: the cap comes first so the others see a bounded string.)
 */
export const zLine = () =>
  z
    .string()
    .max(HARD_TEXT_LIMIT, "Too long")
    .trim()
    .refine(refused(false), CONTROL_CHARACTER_MESSAGE);

/** Text that may span lines (tab, CR and LF allowed), trimmed. */
export const zText = () =>
  z
    .string()
    .max(HARD_TEXT_LIMIT, "Too long")
    .trim()
    .refine(refused(true), CONTROL_CHARACTER_MESSAGE);

/** A secret as typed (a password, a token, a code): never trimmed, same character rule. */
export const zSecret = () =>
  z
    .string()
    .max(HARD_TEXT_LIMIT, "Too long")
    .refine(refused(false), CONTROL_CHARACTER_MESSAGE);

/** An optional line: empty becomes null. */
export const zOptionalLine = (max: number) =>
  zLine()
    .max(max, `At most ${max} characters`)
    .transform((value) => (value === "" ? null : value))
    .nullish();

/** Text kept only to show back (an import's raw username, a file name): control characters and lone surrogates dropped. */
export function printableText(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "");
}
