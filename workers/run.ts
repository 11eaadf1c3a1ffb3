import { disconnectDatabase } from "@/server/db/client";
import { prepareDatabase } from "@/server/db/prepare-database";
import { launcherEnv } from "@/server/env";
import { prepareRuntime, say } from "@/server/runtime/prepare-runtime";
import { startWorker } from "@/workers/start-worker";

// `npm run worker`: the background job process. On SIGTERM/SIGINT it stops
// taking jobs, lets running ones finish (graphile-worker releases the rest),
// then closes its connections.

async function main(): Promise<void> {
  const runtime = await prepareRuntime();
  await prepareDatabase(runtime.databaseUrl, say);
  const runner = await startWorker({ connectionString: runtime.databaseUrl, concurrency: launcherEnv().WORKER_CONCURRENCY, deliveryConcurrency: launcherEnv().WORKER_DELIVERY_CONCURRENCY });
  say("Worker started.");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    say(`Worker received ${signal}: finishing running jobs.`);
    await runner.stop();
    await disconnectDatabase();
    await runtime.stopDatabase();
    say("Worker stopped.");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
  await runner.promise;
}

main().catch((error: unknown) => {
  console.error(`[tenure] worker failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
