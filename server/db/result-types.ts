import pg from "pg";

// Rows read on a plain pg connection as Prisma's $queryRaw gives them: int8
// (and int8[]) as bigint, where pg's default is text; every other type as pg
// parses it, which is what Prisma returns for the types our raw queries read.

const INT8 = 20;
const INT8_ARRAY = 1016;

// pg-types has no name for int8[]'s oid; its parser gives the elements as text.
const parseTextArray = (pg.types.getTypeParser as (oid: number, format: "text") => (text: string) => (string | null)[])(INT8_ARRAY, "text");
const parseInt8Array = (text: string) => parseTextArray(text).map((value) => (value === null ? null : BigInt(value)));

const parserOf = pg.types.getTypeParser as (oid: number, format?: "text" | "binary") => (text: string) => unknown;

export const PRISMA_RESULT_TYPES = {
  getTypeParser: (oid: number, format?: "text" | "binary") => (oid === INT8 ? BigInt : oid === INT8_ARRAY ? parseInt8Array : parserOf(oid, format)),
};
