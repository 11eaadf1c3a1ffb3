import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { findFreePort } from "@/server/db/free-port";
import { launcherEnv } from "@/server/env";

// `npm test`: unit and integration tests (vitest, real embedded PostgreSQL),
// a production build, then the end-to-end tests (Playwright, real Chromium).
// Prints each runner's summary and one closing "N passed, N failed" line.
// `npm run test:e2e` runs the build and the end-to-end part only.

const require = createRequire(import.meta.url);
const OUTPUT = ".test-output";
const onlyE2e = process.argv[2] === "e2e";
/** `npm run test:e2e -- tests/e2e/x.spec.ts` runs only the named specs. */
const playwrightArgs = onlyE2e ? process.argv.slice(3) : [];

/** A package's command-line entry, found through its package.json (exports hide the file itself). */
function binOf(packageName: string, file: string): string {
  return path.join(path.dirname(require.resolve(`${packageName}/package.json`)), file);
}

type TCounts = { passed: number; failed: number; skipped: number };
const results: { name: string; counts: TCounts | null; exitCode: number }[] = [];

function run(args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as T;
  } catch {
    return null;
  }
}

async function runVitest(): Promise<void> {
  const report = path.join(OUTPUT, "vitest.json");
  const exitCode = await run([binOf("vitest", "vitest.mjs"), "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  const json = await readJson<{ numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number }>(report);
  results.push({
    name: "vitest (unit + integration)",
    exitCode,
    counts: json && { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests },
  });
}

async function runBuild(): Promise<boolean> {
  console.log("\n[test] Building the app for the end-to-end tests (next build)…");
  const exitCode = await run([require.resolve("next/dist/bin/next"), "build"], { NODE_ENV: "production" });
  if (exitCode !== 0) results.push({ name: "next build", exitCode, counts: null });
  return exitCode === 0;
}

async function runPlaywright(): Promise<void> {
  const report = path.join(OUTPUT, "playwright.json");
  // A free port unless one is chosen, so a running `npm start` never collides with the suite.
  const port = launcherEnv().E2E_PORT ?? String(await findFreePort());
  const exitCode = await run([binOf("@playwright/test", "cli.js"), "test", ...playwrightArgs], { E2E_PORT: port });
  const json = await readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(report);
  results.push({
    name: "playwright (e2e)",
    exitCode,
    counts: json && { passed: json.stats.expected + json.stats.flaky, failed: json.stats.unexpected, skipped: json.stats.skipped },
  });
}

async function main(): Promise<number> {
  await rm(OUTPUT, { recursive: true, force: true });
  await mkdir(OUTPUT, { recursive: true });
  if (!onlyE2e) await runVitest();
  if (await runBuild()) await runPlaywright();

  console.log("\n[test] Summary");
  const total: TCounts = { passed: 0, failed: 0, skipped: 0 };
  let ok = true;
  for (const result of results) {
    const counts = result.counts;
    const failedRun = result.exitCode !== 0;
    ok &&= !failedRun && (counts?.failed ?? 0) === 0 && counts !== null;
    if (counts) {
      total.passed += counts.passed;
      total.failed += counts.failed;
      total.skipped += counts.skipped;
    }
    const detail = counts ? `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped` : "no report";
    console.log(`[test]   ${result.name}: ${detail}${failedRun ? ` (exit code ${result.exitCode})` : ""}`);
  }
  // A runner that crashed before reporting counts as a failure even with no failed test.
  if (!ok && total.failed === 0) total.failed = 1;
  console.log(`tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return ok ? 0 : 1;
}

if (!existsSync("package.json")) {
  console.error("Run `npm test` from the project folder.");
  process.exit(2);
}
process.exitCode = await main();
