import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

// What the e2e server (scripts/e2e-server.ts), the Playwright config and the
// specs agree on: where the repository is, which port the app listens on, and
// where the server writes the connection details of its throw-away database.

export const REPO_ROOT = path.resolve(import.meta.dirname, "..", "..", "..");

/** Not under `test-results/`: Playwright empties its outputDir when a run starts. */
export const E2E_OUTPUT_DIR = path.join(REPO_ROOT, ".test-output");
export const E2E_SERVER_STATE_FILE = path.join(E2E_OUTPUT_DIR, "e2e-server.json");

export const E2E_HOST = "127.0.0.1";
const DEFAULT_E2E_PORT = 3107;

export function e2ePort(): number {
  const raw = process.env.E2E_PORT;
  if (raw === undefined || raw === "") return DEFAULT_E2E_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`E2E_PORT must be a port number, not "${raw}"`);
  return port;
}

/** Always the loopback IP, never `localhost`: session cookies are bound to the host NEXTAUTH_URL names. */
export function e2eBaseUrl(): string {
  return `http://${E2E_HOST}:${e2ePort()}`;
}

/** `nextauthSecret`: the run's throw-away secret, so a spec can open a mail's sealed link as the recipient's mailbox would. */
export type TE2eServerState = { databaseUrl: string; baseUrl: string; nextauthSecret: string; setupCode: string };

export function readE2eServerState(): TE2eServerState {
  if (!existsSync(E2E_SERVER_STATE_FILE)) {
    throw new Error(
      `${path.relative(REPO_ROOT, E2E_SERVER_STATE_FILE)} is missing: the e2e server is not running. ` +
        "Run the suite with `npx playwright test` (its webServer starts scripts/e2e-server.ts).",
    );
  }
  const state = JSON.parse(readFileSync(E2E_SERVER_STATE_FILE, "utf8")) as Partial<TE2eServerState>;
  if (typeof state.databaseUrl !== "string" || typeof state.baseUrl !== "string" || typeof state.nextauthSecret !== "string" || typeof state.setupCode !== "string") {
    throw new Error(`${E2E_SERVER_STATE_FILE} does not hold { databaseUrl, baseUrl, nextauthSecret, setupCode }`);
  }
  return { databaseUrl: state.databaseUrl, baseUrl: state.baseUrl, nextauthSecret: state.nextauthSecret, setupCode: state.setupCode };
}
