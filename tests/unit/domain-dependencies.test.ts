import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT, repositoryImports, sourceFiles } from "../support/source-files";

// The server's domains form layers (ARCHITECTURE.md, "Dependencies between
// domains"): shared types, validation and the queue at the bottom, then
// audit, mail, auth, members, the lifecycle, and the use cases above them.
// A domain never imports one that imports it back, so each can be read,
// tested and changed from the bottom up. Routers are the composition layer
// (they wire procedures of any domain into server/trpc) and are left out.

/** Bottom modules: they may import only each other (and packages). */
const FOUNDATION = new Set(["db", "env", "errors", "ids", "validation", "http", "shared", "queue", "unexpected-error"]);

type TEdge = { from: string; to: string; file: string };

const isRouter = (file: string) => /(?:^|[-/])router\.ts$/.test(file);

/** "server/auth/step-up.ts" → "auth"; "server/errors.ts" → "errors". */
function domainOf(repositoryPath: string): string | null {
  const [top, domain] = repositoryPath.split("/");
  if (top !== "server" || domain === undefined) return null;
  return domain.replace(/\.ts$/, "");
}

function serverFiles(): string[] {
  return sourceFiles("server").map((file) => path.relative(REPOSITORY_ROOT, file).split(path.sep).join("/"));
}

function importsOf(file: string): string[] {
  return repositoryImports(path.join(REPOSITORY_ROOT, file), readFileSync(path.join(REPOSITORY_ROOT, file), "utf8"));
}

/** Imports between different domains, routers and the tRPC wiring left out. */
function domainEdges(): TEdge[] {
  return serverFiles()
    .filter((file) => !isRouter(file) && domainOf(file) !== "trpc")
    .flatMap((file) =>
      importsOf(file).flatMap((target) => {
        const from = domainOf(file)!;
        const to = domainOf(target);
        return to === null || to === from ? [] : [{ from, to, file: `${file} → ${target}` }];
      }),
    );
}

/** One cycle per strongly connected group, written "a → b → a", with the imports that close it. */
function dependencyCycles(edges: TEdge[]): string[] {
  const next = new Map<string, Set<string>>();
  for (const edge of edges) next.set(edge.from, (next.get(edge.from) ?? new Set()).add(edge.to));
  const cycles: string[] = [];
  const done = new Set<string>();
  const visit = (node: string, trail: string[]) => {
    const at = trail.indexOf(node);
    if (at >= 0) {
      const cycle = [...trail.slice(at), node];
      const proof = cycle.slice(1).map((to, index) => edges.find((edge) => edge.from === cycle[index] && edge.to === to)!.file);
      cycles.push(`${cycle.join(" → ")}\n    ${proof.join("\n    ")}`);
      return;
    }
    if (done.has(node)) return;
    for (const to of next.get(node) ?? []) visit(to, [...trail, node]);
    done.add(node);
  };
  for (const node of [...next.keys()].sort()) visit(node, []);
  return cycles;
}

describe("dependencies between the server's domains", () => {
  it("the cycle finder reports a cycle with the imports behind it, and none in a layered graph", () => {
    const layered = [
      { from: "lifecycle", to: "auth", file: "l.ts → a.ts" },
      { from: "auth", to: "audit", file: "a.ts → au.ts" },
    ];
    expect(dependencyCycles(layered)).toEqual([]);
    const circular = [...layered, { from: "audit", to: "lifecycle", file: "au.ts → l.ts" }];
    expect(dependencyCycles(circular)[0]).toContain("audit → lifecycle → auth → audit");
    expect(dependencyCycles(circular)[0]).toContain("au.ts → l.ts");
  });

  it("no domain imports one that imports it back", () => {
    const edges = domainEdges();
    expect(edges.length).toBeGreaterThan(50);
    expect(dependencyCycles(edges)).toEqual([]);
  });

  it("the foundation (shared types, validation, the queue…) imports no domain", () => {
    const upward = domainEdges().filter((edge) => FOUNDATION.has(edge.from) && !FOUNDATION.has(edge.to));
    expect(upward.map((edge) => edge.file)).toEqual([]);
  });

  it("services reach the job queue through server/queue, never workers/", () => {
    const offenders = serverFiles().flatMap((file) => importsOf(file).filter((target) => target.startsWith("workers/")).map((target) => `${file} → ${target}`));
    expect(offenders).toEqual([]);
  });

  it("only routers and the tRPC wiring import server/trpc", () => {
    const offenders = serverFiles()
      .filter((file) => !isRouter(file) && domainOf(file) !== "trpc")
      .flatMap((file) => importsOf(file).filter((target) => target.startsWith("server/trpc/")).map((target) => `${file} → ${target}`));
    expect(offenders).toEqual([]);
  });
});
