import { existsSync } from "node:fs";
import { chromium, defineConfig } from "@playwright/test";
import { e2eBaseUrl } from "./tests/e2e/support/e2e-env";

// End-to-end suite: `npm run build` once, then `npx playwright test`. The
// webServer (scripts/e2e-server.ts) runs the production build and the worker
// on a fresh throw-away PostgreSQL and removes it afterwards.

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** Debian's Chromium when installed (offline machines), else the browser `playwright install` fetched. */
function chromiumExecutable(): string {
  const chosen = process.env.E2E_CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`E2E_CHROMIUM_PATH is ${chosen}, which does not exist`);
    return chosen;
  }
  if (existsSync(DEBIAN_CHROMIUM)) return DEBIAN_CHROMIUM;
  const bundled = chromium.executablePath();
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error(
    "No Chromium found: install Debian's chromium (apt-get install chromium) or run `npx playwright install chromium` on a connected machine",
  );
}

const baseURL = e2eBaseUrl();

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "test-results",
  fullyParallel: false,
  // Two cores, and every flow talks to the one server: one browser at a time.
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  // The test orchestrator (scripts/test.ts) counts results from this JSON file.
  reporter: [["list"], ["json", { outputFile: ".test-output/playwright.json" }]],
  use: {
    baseURL,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromiumExecutable(),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        "--disable-sync",
      ],
    },
  },
  projects: [
    // The setup page exists only while the database holds no organisation: it runs first, alone.
    { name: "first-run", testMatch: /first-run\.spec\.ts$/ },
    { name: "app", testIgnore: /first-run\.spec\.ts$/, dependencies: ["first-run"] },
  ],
  webServer: {
    // The same Node as the runner (the repository's Node 24, not whatever `node` the PATH finds first).
    command: `${JSON.stringify(process.execPath)} --import tsx scripts/e2e-server.ts`,
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
  },
});
