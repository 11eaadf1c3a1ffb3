import { existsSync } from "node:fs";
import { prepareDatabase } from "@/server/db/prepare-database";
import { exportToEnvironment, launcherEnv } from "@/server/env";
import { prepareRuntime, say } from "@/server/runtime/prepare-runtime";
import { nextBin, runToCompletion, supervise } from "./support/supervise";
import { WEB_NODE_FLAGS, WORKER_NODE_FLAGS } from "./support/worker-node-flags";

// `npm start` (production build) and `npm run dev`: one command runs the
// database (embedded unless DATABASE_URL is set), the web app and the worker.

const mode = process.argv[2] === "dev" ? "dev" : "start";

async function main(): Promise<void> {
  const runtime = await prepareRuntime();
  if (mode === "start") exportToEnvironment({ NODE_ENV: "production" });
  try {
    await prepareDatabase(runtime.databaseUrl, say);
    if (mode === "start" && !existsSync(".next/BUILD_ID")) {
      say("No production build yet: running `next build` once (about a minute).");
      await runToCompletion("next build", [nextBin(), "build"]);
    }
  } catch (error) {
    await runtime.stopDatabase();
    throw error;
  }
  const { PORT, HOST, NEXTAUTH_URL } = launcherEnv();
  exportToEnvironment({ PORT: String(PORT), HOST });
  say(`Tenure on ${NEXTAUTH_URL ?? `http://${HOST}:${PORT}`} (${mode === "dev" ? "development" : "production"})`);
  supervise(
    [
      // Our own HTTP server in front of Next (scripts/web.ts): the client's address comes from the socket.
      { name: "web", args: [...WEB_NODE_FLAGS, "--import", "tsx", "scripts/web.ts", ...(mode === "dev" ? ["dev"] : [])] },
      { name: "worker", args: [...WORKER_NODE_FLAGS, "--import", "tsx", "workers/run.ts"] },
    ],
    runtime.stopDatabase,
  );
}

main().catch((error: unknown) => {
  console.error(`[tenure] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
