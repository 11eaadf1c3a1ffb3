import { randomBytes } from "node:crypto";
import { db, disconnectDatabase } from "@/server/db/client";
import { prepareDatabase } from "@/server/db/prepare-database";
import { launcherEnv } from "@/server/env";
import { say, withRuntime } from "@/server/runtime/prepare-runtime";
import { DEMO_TENANT_SLUG, seedDemoTenant } from "@/server/tenants/seed-demo-tenant";

// `npm run db:seed`: a demo organisation to try the console. No password lives
// in the repo: SEED_PASSWORD chooses one, otherwise one is generated and shown once.

await withRuntime(async ({ databaseUrl }) => {
  await prepareDatabase(databaseUrl, say);
  const password = launcherEnv().SEED_PASSWORD ?? randomBytes(12).toString("base64url");
  const { created, adminUsername } = await seedDemoTenant(db(), password);
  if (!created) {
    say(`The demo organisation "${DEMO_TENANT_SLUG}" exists already; nothing changed.`);
  } else {
    say(`Created the demo organisation "${DEMO_TENANT_SLUG}" with departments and members.`);
    say(`Sign in with organisation "${DEMO_TENANT_SLUG}", username "${adminUsername}", password: ${password}`);
    say("Every demo account shares that password.");
  }
  await disconnectDatabase();
}).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
