import { disconnectDatabase } from "@/server/db/client";
import { launcherEnv, serverEnv } from "@/server/env";
import { startWorker } from "@/workers/start-worker";

// The bench's worker: graphile-worker with every task, as `npm run worker`
// runs it (without the crontab, whose periodic jobs would blur the figures),
// in a process of its own so that its peak RSS is the jobs' and nothing else's.
// The bench stops it by closing its stdin.

const runner = await startWorker({
  connectionString: serverEnv().DATABASE_URL,
  // As `npm run worker` reads them (a bench may set them before it starts this process).
  concurrency: launcherEnv().WORKER_CONCURRENCY,
  deliveryConcurrency: launcherEnv().WORKER_DELIVERY_CONCURRENCY,
  crontab: false, log: (line) => (line.includes("error") ? console.error(line) : undefined) });
process.stdout.write("ready\n");
process.stdin.resume();
process.stdin.on("end", () => {
  void runner
    .stop()
    .then(() => disconnectDatabase())
    .then(() => process.exit(0));
});
