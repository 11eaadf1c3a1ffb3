import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { exportToEnvironment, launcherEnv, loadDotEnvFile } from "@/server/env";

// What every launcher (start, dev, worker, migrate, seed) does first: find or
// start the database and fill in the settings the app processes need.

export type TRuntime = {
  databaseUrl: string;
  embedded: boolean;
  stopDatabase: () => Promise<void>;
};

export const say = (line: string) => console.log(`[tenure] ${line}`);

export async function readOrCreateSecret(dataDir: string): Promise<string> {
  const file = path.join(dataDir, "nextauth-secret");
  if (existsSync(file)) {
    await chmod(file, 0o600); // owner-only, whatever an earlier version or a copy left
    return (await readFile(file, "utf8")).trim();
  }
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const secret = randomBytes(48).toString("base64url");
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  say(`Generated a session secret in ${file} (kept out of git).`);
  return secret;
}

export async function prepareRuntime(): Promise<TRuntime> {
  loadDotEnvFile();
  const env = launcherEnv();
  const dataDir = path.resolve(env.TENURE_DATA_DIR);
  const exported: Record<string, string> = {};

  if (!env.NEXTAUTH_SECRET) {
    if (env.DATABASE_URL) say("NEXTAUTH_SECRET is not set: using one generated in the data folder. Set it when several app processes share a database.");
    exported.NEXTAUTH_SECRET = await readOrCreateSecret(dataDir);
  }
  if (!env.NEXTAUTH_URL) exported.NEXTAUTH_URL = `http://localhost:${env.PORT}`;

  if (env.DATABASE_URL) {
    exportToEnvironment(exported);
    return { databaseUrl: env.DATABASE_URL, embedded: false, stopDatabase: () => Promise.resolve() };
  }
  // Loaded only when needed: processes on an external database never touch it.
  const { startEmbeddedPostgres } = await import("@/server/db/embedded-postgres");
  const cluster = await startEmbeddedPostgres({ dataDir, log: say });
  say(`Embedded PostgreSQL is running on ${new URL(cluster.connectionString).host} (data in ${dataDir}).`);
  exported.DATABASE_URL = cluster.connectionString;
  exportToEnvironment(exported);
  return { databaseUrl: cluster.connectionString, embedded: true, stopDatabase: cluster.stop };
}

/** Runs `work`, then stops the embedded database whatever happened. */
export async function withRuntime(work: (runtime: TRuntime) => Promise<void>): Promise<void> {
  const runtime = await prepareRuntime();
  try {
    await work(runtime);
  } finally {
    await runtime.stopDatabase();
  }
}
