import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { findFreePort } from "@/server/db/free-port";
import { launcherEnv } from "@/server/env";

// `npm run screenshots`: builds the app, then runs tests/screenshots against the
// e2e server (production build, worker, throw-away database), which seed a small
// organisation and write the README's PNGs to docs/screenshots/. Not part of
// `npm test`: run it after changing what the pictures show, and commit the PNGs.

const require = createRequire(import.meta.url);

function run(args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(): Promise<number> {
  console.log("[screenshots] Building the app (next build)…");
  const built = await run([require.resolve("next/dist/bin/next"), "build"], { NODE_ENV: "production" });
  if (built !== 0) return built;
  // A free port unless one is chosen, so a running `npm start` or test run never collides.
  const port = launcherEnv().E2E_PORT ?? String(await findFreePort());
  const playwright = path.join(path.dirname(require.resolve("@playwright/test/package.json")), "cli.js");
  const taken = await run([playwright, "test", "--config", "playwright.screenshots.config.ts"], { E2E_PORT: port });
  if (taken === 0) console.log("[screenshots] Written to docs/screenshots/.");
  return taken;
}

if (!existsSync("package.json")) {
  console.error("Run `npm run screenshots` from the project folder.");
  process.exit(2);
}
process.exitCode = await main();
