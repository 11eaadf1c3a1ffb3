import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type TEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { prepareDatabase } from "@/server/db/prepare-database";
import { exportToEnvironment } from "@/server/env";
import { E2E_HOST, E2E_OUTPUT_DIR, E2E_SERVER_STATE_FILE, REPO_ROOT, e2eBaseUrl, e2ePort, type TE2eServerState } from "@/tests/e2e/support/e2e-env";
import { supervise } from "./support/supervise";
import { WEB_NODE_FLAGS, WORKER_NODE_FLAGS } from "./support/worker-node-flags";

// The server behind the Playwright suite (playwright.config.ts `webServer`):
// a fresh throw-away PostgreSQL in a temporary folder, our migrations, then
// the production build (Tenure's own server, scripts/web.ts) and the worker on it. It writes the
// database URL to .test-output/e2e-server.json for the specs' own database
// steps. On SIGTERM/SIGINT it stops the app and the worker, then PostgreSQL,
// and removes the temporary folder and the state file.

const log = (line: string) => console.log(`[e2e-server] ${line}`);
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

let tempDir: string | undefined;
let database: TEmbeddedPostgres | undefined;

async function cleanup(): Promise<void> {
  await database?.stop();
  await rm(E2E_SERVER_STATE_FILE, { force: true });
  if (tempDir) await rm(tempDir, { recursive: true, force: true, maxRetries: 3 });
  log("Stopped; the throw-away database is gone.");
}

async function main(): Promise<void> {
  if (!existsSync(path.join(REPO_ROOT, ".next", "BUILD_ID"))) {
    throw new Error("There is no production build (.next/BUILD_ID): run `npm run build` first.");
  }
  // A signal during start-up still removes what was made so far.
  for (const signal of SIGNALS) process.once(signal, () => void cleanup().finally(() => process.exit(1)));

  const baseUrl = e2eBaseUrl();
  tempDir = await mkdtemp(path.join(os.tmpdir(), "tenure-e2e-"));
  database = await startEmbeddedPostgres({ dataDir: tempDir, ephemeral: true, log });
  await prepareDatabase(database.connectionString, log);

  // A new secret each run: sessions of an earlier run can never be replayed.
  const nextauthSecret = randomBytes(48).toString("base64url");
  // The first-run spec enters the setup code as an operator would; an operator-chosen SETUP_CODE is how it knows it.
  const setupCode = randomBytes(12).toString("base64url");
  const state: TE2eServerState = { databaseUrl: database.connectionString, baseUrl, nextauthSecret, setupCode };
  await mkdir(E2E_OUTPUT_DIR, { recursive: true });
  await writeFile(E2E_SERVER_STATE_FILE, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });

  exportToEnvironment({
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    DATABASE_URL: database.connectionString,
    NEXTAUTH_SECRET: nextauthSecret,
    NEXTAUTH_URL: baseUrl,
    SETUP_CODE: setupCode,
    WORKER_CONCURRENCY: "2",
    WORKER_DELIVERY_CONCURRENCY: "4",
    PORT: String(e2ePort()),
    HOST: E2E_HOST,
  });
  for (const signal of SIGNALS) process.removeAllListeners(signal);
  supervise(
    [
      { name: "web", args: [...WEB_NODE_FLAGS, "--import", "tsx", "scripts/web.ts"] },
      { name: "worker", args: [...WORKER_NODE_FLAGS, "--import", "tsx", "workers/run.ts"] },
    ],
    cleanup,
  );
  log(`Tenure is starting on ${baseUrl} with a throw-away database.`);
}

main().catch(async (error: unknown) => {
  console.error(`[e2e-server] ${error instanceof Error ? error.message : String(error)}`);
  await cleanup();
  process.exit(1);
});
