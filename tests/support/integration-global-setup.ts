import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { prepareDatabase } from "@/server/db/prepare-database";
import { createDatabase, startTestCluster } from "./test-cluster";

export const TEMPLATE_DATABASE = "tenure_template";

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase: { adminUrl: string; template: string; nextAuthSecret: string };
  }
}

export default async function setup(project: TestProject) {
  const cluster = await startTestCluster();
  const templateUrl = await createDatabase(cluster.adminUrl, TEMPLATE_DATABASE);
  await prepareDatabase(templateUrl);
  project.provide("testDatabase", {
    adminUrl: cluster.adminUrl,
    template: TEMPLATE_DATABASE,
    // Generated per run: no secret lives in the repo, not even a test one.
    nextAuthSecret: randomBytes(32).toString("base64url"),
  });
  return async () => cluster.stop();
}
