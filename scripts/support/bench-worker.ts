import { spawn } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { WORKER_NODE_FLAGS } from "./worker-node-flags";
import { db } from "@/server/db/client";

// A worker process for the bench (bench-worker-process.ts), and what the
// kernel knows of it: its peak RSS (VmHWM, which clear_refs resets between
// phases) and its CPU time. Linux only, as the bench machine is.

export type TBenchWorker = {
  pid: number;
  /** Peak resident memory since the start or the last reset, in bytes. */
  peakRss: () => Promise<number>;
  resetPeakRss: () => Promise<void>;
  cpuSeconds: () => Promise<number>;
  stop: () => Promise<void>;
};

async function statusField(pid: number, field: string): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const line = status.split("\n").find((entry) => entry.startsWith(`${field}:`));
  return Number(line?.split(/\s+/)[1] ?? 0) * 1024;
}

/** User and system CPU seconds of a process, or of its ended children (/proc/<pid>/stat, in clock ticks of 1/100 s). */
export async function processCpuSeconds(pid: number, options: { children?: boolean } = {}): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
  const fields = stat?.slice(stat.lastIndexOf(")") + 2).split(" ");
  const first = options.children ? 13 : 11;
  return fields ? (Number(fields[first]) + Number(fields[first + 1])) / 100 : 0;
}

export async function startBenchWorker(): Promise<TBenchWorker> {
  const script = path.join(import.meta.dirname, "bench-worker-process.ts");
  // BENCH_WORKER_FLAGS (space-separated) replaces the production flags, to compare them.
  const flags = process.env.BENCH_WORKER_FLAGS === undefined ? WORKER_NODE_FLAGS : process.env.BENCH_WORKER_FLAGS.split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...flags, "--import", "tsx", script], { stdio: ["pipe", "pipe", "inherit"], env: process.env });
  const exited = once(child, "exit");
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (data: Buffer) => (data.toString().includes("ready") ? resolve() : undefined));
    child.once("exit", (code) => reject(new Error(`The bench worker exited before it was ready (code ${code})`)));
  });
  const pid = child.pid!;
  return {
    pid,
    peakRss: () => statusField(pid, "VmHWM"),
    resetPeakRss: () => writeFile(`/proc/${pid}/clear_refs`, "5"),
    cpuSeconds: () => processCpuSeconds(pid),
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}

/** Polls until `done` gives a value (the worker's job reached a state), every 50 ms. */
export async function waitFor<T>(done: () => Promise<T | null | undefined>, timeoutMs = 600_000): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = await done();
    if (value !== null && value !== undefined) return value;
    if (performance.now() - started > timeoutMs) throw new Error("The bench worker did not finish in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * CPU seconds of the database's server processes (Linux /proc): the live ones, and the ended ones (a closed
 * connection's backend), which the postmaster's children's time keeps. Beside the node processes' own: on a
 * shared machine the wall-clock figures move with the load, the CPU figures hardly at all.
 */
export async function databaseCpuSeconds(): Promise<number> {
  const backends = await db().$queryRaw<{ pid: number }[]>`SELECT pid FROM pg_stat_activity`;
  let seconds = 0;
  let postmaster = 0;
  for (const { pid } of backends) {
    seconds += await processCpuSeconds(pid);
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => null);
    postmaster ||= Number(stat?.slice(stat.lastIndexOf(")") + 2).split(" ")[1] ?? 0);
  }
  return seconds + (postmaster ? await processCpuSeconds(postmaster, { children: true }) : 0);
}
