import { afterAll, inject } from "vitest";
import { disconnectDatabase } from "@/server/db/client";
import { exportToEnvironment } from "@/server/env";
import { createDatabase, dropDatabase, uniqueDatabaseName } from "./test-cluster";

// Runs before each integration test file: its own database, cloned from the
// migrated template, is what `db()` and the services see.

const { adminUrl, template, nextAuthSecret } = inject("testDatabase");
const name = uniqueDatabaseName("test");
const url = await createDatabase(adminUrl, name, template);
exportToEnvironment({ DATABASE_URL: url, NEXTAUTH_SECRET: nextAuthSecret, NEXTAUTH_URL: "http://localhost:3000", NODE_ENV: "test" });

afterAll(async () => {
  await disconnectDatabase();
  await dropDatabase(adminUrl, name);
});
