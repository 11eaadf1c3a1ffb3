import { z } from "zod";
import { ValidationError } from "@/server/errors";

// An opaque keyset cursor: the sort it belongs to, the last row's sort value and id.
const ZCursor = z.tuple([z.enum(["name", "created", "lastOnline"]), z.string(), z.string().regex(/^\d+$/)]);
type TSort = z.infer<typeof ZCursor>[0];

export function encodeCursor(sort: TSort, value: string | Date, id: bigint): string {
  const text = value instanceof Date ? (Number.isFinite(value.getTime()) ? value.toISOString() : "-infinity") : value;
  return Buffer.from(JSON.stringify([sort, text, id.toString()])).toString("base64url");
}

/** The cursor's sort value as text ("-infinity" for never-online members) and its id. */
export function decodeCursor(cursor: string, sort: TSort): { value: string; id: bigint } {
  let parsed: z.infer<typeof ZCursor>;
  try {
    parsed = ZCursor.parse(JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")));
  } catch {
    throw new ValidationError("This page link is no longer valid: start from the first page", { cursor: ["Invalid cursor"] });
  }
  if (parsed[0] !== sort) throw new ValidationError("The sort changed: start from the first page", { cursor: ["Cursor of another sort"] });
  const [, value, id] = parsed;
  if (sort !== "name" && value !== "-infinity" && Number.isNaN(Date.parse(value))) {
    throw new ValidationError("This page link is no longer valid: start from the first page", { cursor: ["Invalid cursor"] });
  }
  return { value, id: BigInt(id) };
}
