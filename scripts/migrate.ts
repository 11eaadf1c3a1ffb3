import { prepareDatabase } from "@/server/db/prepare-database";
import { say, withRuntime } from "@/server/runtime/prepare-runtime";

await withRuntime(async ({ databaseUrl }) => {
  const { applied, alreadyApplied } = await prepareDatabase(databaseUrl, say);
  say(applied.length ? `Applied ${applied.length} migration(s).` : `Database is up to date (${alreadyApplied.length} migration(s) applied earlier).`);
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
