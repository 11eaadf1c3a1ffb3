import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "@/server/db/embedded-postgres";

// One throw-away PostgreSQL cluster per test run; databases are cloned from a
// migrated template so each test file starts from a fresh, migrated schema.

export type TTestCluster = { adminUrl: string; stop: () => Promise<void> };

export async function startTestCluster(): Promise<TTestCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-test-"));
  const cluster = await startEmbeddedPostgres({ dataDir: dir, databaseName: "postgres", ephemeral: true });
  return {
    adminUrl: cluster.adminConnectionString,
    stop: async () => {
      await cluster.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export function databaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function withAdminClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** A new database: empty, or a copy of `template`. Returns its URL. */
export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await withAdminClient(adminUrl, (client) =>
    client.query(`CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ""}`),
  );
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withAdminClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export const uniqueDatabaseName = (prefix: string) => `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;

/** Runs one statement on a database of the test cluster and returns its rows. */
export async function queryRows<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  return withAdminClient(url, async (client) => (await client.query<T>(sql)).rows);
}
