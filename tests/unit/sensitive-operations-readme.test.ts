import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { SENSITIVE_OPERATIONS } from "@/server/auth/sensitive-operations";

// The README's list of sensitive operations is what admins read: it must be the table's.
describe("the README's sensitive operations", () => {
  it("lists exactly the operations of server/auth/sensitive-operations.ts, each with its description", () => {
    const readme = readFileSync(path.join(import.meta.dirname, "../../README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Sensitive operations (step-up)"));
    const rows = [...section.matchAll(/^\| `([a-z_.]+)` \| ([^|]+) \|/gm)].map((match) => [match[1], match[2]!.trim()]);
    expect(rows).toEqual(Object.entries(SENSITIVE_OPERATIONS));
  });
});
