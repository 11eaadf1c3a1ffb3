import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WEB_NODE_FLAGS, WORKER_NODE_FLAGS } from "@/scripts/support/worker-node-flags";

// `npm run worker` spells the worker's Node flags out (package.json cannot import them): they must not drift.
describe("the processes' Node flags", () => {
  it("are the same in `npm run worker` as in npm start, the e2e server and the bench", () => {
    const scripts = (JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> }).scripts;
    expect(scripts.worker).toBe(`exec node ${WORKER_NODE_FLAGS.join(" ")} --import tsx workers/run.ts`);
  });

  it("hold memory without capping the heap", () => {
    for (const flag of [...WORKER_NODE_FLAGS, ...WEB_NODE_FLAGS]) expect(flag).not.toMatch(/max-old-space-size/);
  });
});
