import { z } from "zod";
import { ValidationError } from "@/server/errors";
import { decodeKeysetCursor, encodeKeysetCursor, INVALID_CURSOR, ZCursorId, ZCursorText, ZCursorTime } from "@/server/validation/cursor";

// An opaque keyset cursor: the sort it belongs to, the last row's sort value and id.
const ZCursor = z.tuple([z.enum(["name", "created", "lastOnline"]), z.string(), ZCursorId]);
type TSort = z.infer<typeof ZCursor>[0];

export function encodeCursor(sort: TSort, value: string | Date, id: bigint): string {
  const text = value instanceof Date ? (Number.isFinite(value.getTime()) ? value.toISOString() : "-infinity") : value;
  return encodeKeysetCursor([sort, text, id.toString()]);
}

/** The cursor's sort value as text ("-infinity" for never-online members) and its id. */
export function decodeCursor(cursor: string, sort: TSort): { value: string; id: bigint } {
  const [cursorSort, value, id] = decodeKeysetCursor(cursor, ZCursor);
  if (cursorSort !== sort) throw new ValidationError("The sort changed: start from the first page", { cursor: ["Cursor of another sort"] });
  const valueSchema = sort === "name" ? ZCursorText : ZCursorTime.or(z.literal("-infinity"));
  if (!valueSchema.safeParse(value).success) throw new ValidationError(INVALID_CURSOR, { cursor: ["Invalid cursor"] });
  return { value, id: BigInt(id) };
}
