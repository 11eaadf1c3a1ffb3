import { z } from "zod";
import { ValidationError } from "@/server/errors";
import { ZEntityId } from "@/server/ids";
import { zLine } from "@/server/validation/text";

// Opaque keyset cursors (base64url JSON tuples) come back from the client: each
// part is checked like any other input before it reaches SQL, so a forged cursor
// (a 26-digit id, a date PostgreSQL cannot read, a NUL) is a clear BAD_REQUEST.

export const INVALID_CURSOR = "This page link is no longer valid: start from the first page";

/** A row id inside a cursor: digits within bigint. */
export const ZCursorId = ZEntityId("Invalid cursor");

/** A moment inside a cursor: ISO 8601 with an offset, within the years PostgreSQL and JavaScript share. */
export const ZCursorTime = z.iso.datetime({ offset: true }).refine((value) => {
  const year = new Date(value).getUTCFullYear();
  return year >= 1 && year <= 9999;
}, "Invalid cursor");

/** A text sort value inside a cursor. */
export const ZCursorText = zLine().max(1000);

export function encodeKeysetCursor(parts: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString("base64url");
}

export function decodeKeysetCursor<T extends z.ZodType>(cursor: string, schema: T): z.output<T> {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new ValidationError(INVALID_CURSOR, { cursor: ["Invalid cursor"] });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ValidationError(INVALID_CURSOR, { cursor: ["Invalid cursor"] });
  return parsed.data;
}
