import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT as ROOT, repositoryImports, sourceFiles } from "../support/source-files";

// Pages and components reach data through the tRPC router or a service
// (ARCHITECTURE.md: app → server/<domain>/router → services → server/db),
// never through the database client. A static scan of the source, so a new
// file cannot slip back into importing it.

const LAYERS_ABOVE_SERVICES = ["app", "components"];

function databaseImports(file: string, source: string): string[] {
  return repositoryImports(file, source).filter((target) => target === "server/db" || target.startsWith("server/db/"));
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
