import pg from "pg";
import { Prisma } from "@/server/db/generated/client";
import { inBulkTransaction } from "@/server/db/copy-rows";
import { PRISMA_RESULT_TYPES } from "@/server/db/result-types";

// Raw SQL in a transaction on a plain pg connection, for the bulk member write
// path (an import's apply batches). Prisma's raw queries encode every parameter
// as JSON and decode it again before the driver sees it, element by element for
// arrays: for a batch of 1,000 members that was about a third of the worker's
// CPU. Same tagged-template API as Prisma's, so the set-based writers take
// either; results come back as Prisma gives them (int8 as bigint), and database
// errors in the shape of Prisma's, so one set of mappers reads both.

/** What the set-based writers need of a transaction: raw SQL. A Prisma client or transaction is one, and so is inSqlTransaction's. */
export type TSqlTransaction = {
  $queryRaw<T = unknown>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<T>;
  $executeRaw(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]): Promise<number>;
};

/** A database error on a plain connection: PostgreSQL's SQLSTATE and the constraint it names, as pg gave them (read through databaseErrorOf). */
export class SqlError extends Error {
  readonly code: string;
  readonly constraint: string | undefined;

  constructor(error: pg.DatabaseError) {
    super(error.message);
    this.name = "SqlError";
    this.code = error.code ?? "";
    this.constraint = error.constraint;
  }
}

function sqlOf(query: TemplateStringsArray | Prisma.Sql, values: unknown[]): Prisma.Sql {
  return query instanceof Prisma.Sql ? query : new Prisma.Sql(query, values);
}

async function run(client: pg.PoolClient, sql: Prisma.Sql): Promise<pg.QueryResult> {
  try {
    return await client.query({ text: sql.text, values: sql.values, types: PRISMA_RESULT_TYPES });
  } catch (error) {
    throw error instanceof pg.DatabaseError ? new SqlError(error) : error;
  }
}

/** Marks a plain connection's transaction: it takes Buffers as binary parameters (server/db/binary-arrays.ts). */
const PLAIN_CONNECTION = Symbol("plain pg connection");

/**
 * Whether binary array parameters are the cheap form for this transaction. Prisma would carry a Buffer to the driver as
 * base64 inside its JSON: for Prisma's transactions, arrays of text or one JSON document are cheaper.
 */
export function takesBinaryArrays(tx: TSqlTransaction): boolean {
  return PLAIN_CONNECTION in tx;
}

/** The raw-SQL API over one connection (its transaction is the caller's). */
export function sqlOn(client: pg.PoolClient): TSqlTransaction {
  const sql: TSqlTransaction & { [PLAIN_CONNECTION]: true } = {
    [PLAIN_CONNECTION]: true,
    $queryRaw: async <T>(query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await run(client, sqlOf(query, values))).rows as T,
    $executeRaw: async (query: TemplateStringsArray | Prisma.Sql, ...values: unknown[]) => (await run(client, sqlOf(query, values))).rowCount ?? 0,
  };
  return sql;
}

/**
 * Runs work in one transaction on a plain pooled connection; rolls back on any error. `timeoutMs` bounds each
 * statement (as Prisma's transaction timeout bounds a transaction that hangs).
 */
export async function inSqlTransaction<T>(work: (tx: TSqlTransaction) => Promise<T>, options: { timeoutMs: number }): Promise<T> {
  return inBulkTransaction(async (client) => {
    await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.round(options.timeoutMs))}`);
    return work(sqlOn(client));
  });
}
