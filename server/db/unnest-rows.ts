import { Prisma } from "@/server/db/generated/client";

// Many rows as one FROM item: one typed array per column, zipped by unnest.
// PostgreSQL reads a batch of 1,000 members this way in about a quarter of the
// time jsonb_to_recordset takes over the same rows as one JSON document (which
// it parses whole, then converts field by field): measured 5 ms against 21.

/** A column of the rows: its name in SQL, its type (a code constant, never input), and how a row gives its value. */
export type TUnnestColumn<T> = { name: string; type: string; value: (row: T) => unknown };

/** `unnest($1::type[], …) AS alias(name, …)` over the rows, in their order. */
export function unnestRows<T>(rows: readonly T[], columns: readonly TUnnestColumn<T>[], alias: string): Prisma.Sql {
  const arrays = columns.map((column) => Prisma.sql`${rows.map(column.value)}::${Prisma.raw(column.type)}[]`);
  return Prisma.sql`unnest(${Prisma.join(arrays)}) AS ${Prisma.raw(alias)}(${Prisma.raw(columns.map((column) => column.name).join(", "))})`;
}
