import { readdirSync } from "node:fs";
import path from "node:path";

// What the static source scans (tests/unit/layering, text-contrast,
// domain-dependencies…) share: the repository's files and what they import.

export const REPOSITORY_ROOT = path.resolve(import.meta.dirname, "../..");

const SOURCE = /\.(?:ts|tsx|mts|cts|js|jsx|mjs)$/;
// Static imports and re-exports, side-effect imports, dynamic import() and require().
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

/** Every source file under a directory of the repository (absolute paths); generated code excluded. */
export function sourceFiles(directory: string): string[] {
  const absolute = path.isAbsolute(directory) ? directory : path.join(REPOSITORY_ROOT, directory);
  return readdirSync(absolute, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(absolute, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "node_modules" ? [] : sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** The repository path ("server/db/client") an import specifier points at, or null for a package. */
export function resolvedImport(file: string, specifier: string): string | null {
  const target = specifier.startsWith("@/")
    ? path.normalize(specifier.slice(2))
    : specifier.startsWith(".")
      ? path.relative(REPOSITORY_ROOT, path.resolve(path.dirname(file), specifier))
      : null;
  return target === null ? null : target.split(path.sep).join("/");
}

/** The repository paths a source file imports, in every form (static, type-only, dynamic, require). */
export function repositoryImports(file: string, source: string): string[] {
  return [...source.matchAll(SPECIFIER)].flatMap((match) => {
    const target = resolvedImport(file, match[1]!);
    return target === null ? [] : [target];
  });
}
