import { createReadStream } from "node:fs";
import { performance } from "node:perf_hooks";
import { db, disconnectDatabase } from "@/server/db/client";
import { stageImport } from "@/server/imports/stage-import";

// An import's dry run in a process of its own, as the upload route runs it
// (the file streamed through stageImport), so that the bench reports the dry
// run's own peak RSS. Prints one JSON line: the import, its time, CPU and peak RSS.

const [file, tenantId, memberId, sysAdmin] = process.argv.slice(2);
// The web process that runs an upload is already up: its database client has connected and compiled its first query.
await db().memberImport.findFirst({ select: { id: true } });
const started = performance.now();
const summary = await stageImport(db(), { tenantId: BigInt(tenantId!), memberId: BigInt(memberId!), sysAdmin: Number(sysAdmin) }, {
  fileName: "members.csv",
  body: createReadStream(file!, { highWaterMark: 64 * 1024 }),
});
const seconds = (performance.now() - started) / 1000;
const usage = process.resourceUsage();
await disconnectDatabase();
process.stdout.write(
  `${JSON.stringify({ summary, seconds, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, peakRss: usage.maxRSS * 1024 })}\n`,
);
