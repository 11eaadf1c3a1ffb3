import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The axe-core check of every visited page is an automatic fixture of
// tests/e2e/support/fixtures.ts: a spec that took `test` from
// "@playwright/test" instead would escape it. A static scan of the specs.

const E2E = path.resolve(import.meta.dirname, "../e2e");
const IMPORTS = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*["']([^"']+)["']/g;

function specFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return specFiles(full);
    return entry.name.endsWith(".spec.ts") ? [full] : [];
  });
}

/** Where a spec takes its runtime `test` from (type-only imports do not count). */
function testSources(source: string): string[] {
  return [...source.matchAll(IMPORTS)]
    .filter(([, typeOnly, names]) => !typeOnly && names!.split(",").some((name) => /^\s*test(\s+as\s+\w+)?\s*$/.test(name)))
    .map(([, , , from]) => from!);
}

describe("e2e specs", () => {
  const specs = specFiles(E2E);

  it("are found", () => {
    expect(specs.length).toBeGreaterThan(10);
  });

  it.each(specs.map((file) => [path.relative(E2E, file), file]))("%s takes `test` from support/fixtures only", (_name, file) => {
    const source = readFileSync(file, "utf8");
    expect(testSources(source)).toEqual(["./support/fixtures"]);
    // No default or namespace import of Playwright's test runner either.
    expect(source).not.toMatch(/import\s+(\*\s+as\s+\w+|\w+)\s*(,\s*\{[^}]*\})?\s*from\s*["']@playwright\/test["']/);
  });
});
