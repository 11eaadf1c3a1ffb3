import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SENSITIVE_OPERATIONS } from "@/server/auth/sensitive-operations";

// The README's list of sensitive operations is what admins read: it must be the table's.
describe("the README's sensitive operations", () => {
  it("lists exactly the operations of server/auth/sensitive-operations.ts, each with its description", () => {
    const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
    const start = readme.indexOf("### Sensitive operations (step-up)");
    // Up to the next section: later tables (the webhook event types) have rows of the same shape.
    const section = readme.slice(start, readme.indexOf("\n## ", start));
    const rows = [...section.matchAll(/^\| `([a-z_.]+)` \| ([^|]+) \|/gm)].map((match) => [match[1], match[2]!.trim()]);
    expect(rows).toEqual(Object.entries(SENSITIVE_OPERATIONS));
  });
});
