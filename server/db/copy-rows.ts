import { once } from "node:events";
import type { Socket } from "node:net";
import pg from "pg";
import { serverEnv } from "@/server/env";

// Bulk writes that need no transaction of Prisma's: rows go to PostgreSQL by
// COPY ... FROM STDIN (the CopyIn protocol through pg's own query interface),
// in chunks of about 64 KB that wait for the socket to drain. Neither side
// builds one big string per batch: Prisma's raw-query path copies each
// parameter several times, and a batch's JSON of half a megabyte lands in
// V8's large-object space, which only a full collection frees.

/** A value COPY can write: text, a number, a boolean, null (NULL), or an object (written as its JSON). */
export type TCopyValue = string | number | bigint | boolean | null | object;

const CHUNK_CHARS = 64 * 1024;

/** COPY's text format: NULL is \N; backslash, tab, newline and carriage return are escaped. PostgreSQL text cannot hold NUL. */
export function copyField(value: TCopyValue): string {
  if (value === null) return "\\N";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  if (text.includes("\0")) throw new Error("A value holds a NUL character, which PostgreSQL text cannot store");
  return text.replace(/[\\\t\n\r]/g, (char) => (char === "\\" ? "\\\\" : char === "\t" ? "\\t" : char === "\n" ? "\\n" : "\\r"));
}

type TConnection = { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void; sendCopyFail(message: string): void; stream: Socket; query(text: string): void };

/** A pg "submittable" that runs COPY FROM STDIN and streams the lines it is given. */
class CopyIn {
  private readonly settled: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (error: Error) => void;
  private rowCount = 0;
  private error: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly lines: Iterable<string>,
  ) {
    this.settled = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  done(): Promise<number> {
    return this.settled;
  }

  submit(connection: TConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: TConnection): void {
    void this.send(connection).catch((error: unknown) => {
      // The server answers a CopyFail with an error (handleError), carrying our message back.
      this.error = error instanceof Error ? error : new Error(String(error));
      connection.sendCopyFail(this.error.message.slice(0, 200));
    });
  }

  private async send(connection: TConnection): Promise<void> {
    let chunk = "";
    const flush = async () => {
      connection.sendCopyFromChunk(Buffer.from(chunk, "utf8"));
      chunk = "";
      if (connection.stream.writableNeedDrain) await once(connection.stream, "drain");
    };
    for (const line of this.lines) {
      // The server refused the COPY (it answered with an error): the rest would be ignored.
      if (this.error) return;
      chunk += line;
      if (chunk.length >= CHUNK_CHARS) await flush();
    }
    if (chunk) await flush();
    connection.endCopyFrom();
  }

  handleCommandComplete(message: { text?: string }): void {
    this.rowCount = Number(message.text?.split(" ").pop() ?? 0);
  }

  /** pg forgets the active query on an error (ReadyForQuery then reaches no one): the COPY settles here. */
  handleError(error: Error): void {
    this.error ??= error;
    this.reject(this.error);
  }

  handleReadyForQuery(): void {
    if (this.error) this.reject(this.error);
    else this.resolve(this.rowCount);
  }

  // Messages a COPY FROM never receives; pg calls them only on a protocol fault.
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

function* copyLines(rows: Iterable<readonly TCopyValue[]>): Generator<string> {
  for (const row of rows) yield `${row.map(copyField).join("\t")}\n`;
}

/** COPY rows into a table's columns on the given connection (inside its transaction, if one is open); returns the rows written. */
export async function copyRows(client: pg.PoolClient | pg.Client, table: string, columns: readonly string[], rows: Iterable<readonly TCopyValue[]>): Promise<number> {
  const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
  const copy = new CopyIn(`COPY ${identifier(table)} (${columns.map(identifier).join(", ")}) FROM STDIN`, copyLines(rows));
  // pg runs any object with submit() as a query; its typings know only their own Submittable shape.
  void client.query(copy as unknown as pg.Submittable);
  return copy.done();
}

const globalForBulk = globalThis as unknown as { tenureBulkPool?: pg.Pool };

/** A small pool of plain pg connections for bulk writes outside Prisma (same database, same settings as Prisma's pool). */
export function bulkPool(): pg.Pool {
  if (!globalForBulk.tenureBulkPool) {
    const pool = new pg.Pool({ connectionString: serverEnv().DATABASE_URL, max: 4 });
    // An idle connection the server closed (a restart) is dropped by the pool; the next checkout opens a new one.
    pool.on("error", () => undefined);
    globalForBulk.tenureBulkPool = pool;
  }
  return globalForBulk.tenureBulkPool;
}

export async function closeBulkPool(): Promise<void> {
  const pool = globalForBulk.tenureBulkPool;
  globalForBulk.tenureBulkPool = undefined;
  await pool?.end();
}

/** Runs work in one transaction on a pooled plain connection. */
export async function inBulkTransaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await bulkPool().connect();
  let broken = false;
  try {
    await client.query("BEGIN");
    const result = await work(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    broken = await client.query("ROLLBACK").then(
      () => false,
      () => true,
    );
    throw error;
  } finally {
    // A connection that could not even roll back is closed, not handed to the next caller.
    client.release(broken);
  }
}
