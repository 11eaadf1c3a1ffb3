import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Pages and components reach data through the tRPC router or a service
// (ARCHITECTURE.md: app → server/<domain>/router → services → server/db),
// never through the database client. A static scan of the source, so a new
// file cannot slip back into importing it.

const ROOT = path.resolve(import.meta.dirname, "../..");
const LAYERS_ABOVE_SERVICES = ["app", "components"];
const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs)$/;
// Static imports and re-exports, side-effect imports, dynamic import() and require().
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** The repository path an import specifier points at, or null for a package. */
function resolvedPath(file: string, specifier: string): string | null {
  if (specifier.startsWith("@/")) return path.normalize(specifier.slice(2));
  if (specifier.startsWith(".")) return path.relative(ROOT, path.resolve(path.dirname(file), specifier));
  return null;
}

function databaseImports(file: string, source: string): string[] {
  return [...source.matchAll(SPECIFIER)]
    .map((match) => match[1]!)
    .filter((specifier) => {
      const target = resolvedPath(file, specifier)?.split(path.sep).join("/");
      return target === "server/db" || target?.startsWith("server/db/") === true;
    });
}

describe("layering", () => {
  it("the scan recognises every way of importing the database client", () => {
    const file = path.join(ROOT, "app/api/example/route.ts");
    expect(databaseImports(file, `import { db } from "@/server/db/client";`)).toHaveLength(1);
    expect(databaseImports(file, `import type { TDatabase } from '@/server/db/client'`)).toHaveLength(1);
    expect(databaseImports(file, `const { db } = await import("../../../server/db/client");`)).toHaveLength(1);
    expect(databaseImports(file, `export { db } from "@/server/db";`)).toHaveLength(1);
    expect(databaseImports(file, `import { checkHealth } from "@/server/health/check-health";`)).toHaveLength(0);
    expect(databaseImports(file, `import { x } from "@/server/dbx/y";`)).toHaveLength(0);
  });

  it("no file under app/ or components/ imports server/db", () => {
    const files = LAYERS_ABOVE_SERVICES.flatMap((layer) => sourceFiles(path.join(ROOT, layer)));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.flatMap((file) => databaseImports(file, readFileSync(file, "utf8")).map((specifier) => `${path.relative(ROOT, file)}: ${specifier}`));
    expect(offenders).toEqual([]);
  });
});
