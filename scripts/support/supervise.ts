import { spawn, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { say } from "@/server/runtime/prepare-runtime";

const require = createRequire(import.meta.url);

export function nextBin(): string {
  return require.resolve("next/dist/bin/next");
}

export function runToCompletion(name: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: "inherit", env: process.env });
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${name} failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

type TChild = { name: string; process: ChildProcess };

/**
 * Runs long-lived children until a signal or until one of them exits, then
 * stops the rest with SIGTERM (each shuts down gracefully) and runs `cleanup`.
 */
export function supervise(specs: { name: string; args: string[] }[], cleanup: () => Promise<void>): void {
  let stopping = false;
  const children: TChild[] = specs.map((spec) => ({
    name: spec.name,
    process: spawn(process.execPath, spec.args, { stdio: "inherit", env: process.env }),
  }));

  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    const alive = children.filter((child) => child.process.exitCode === null && child.process.signalCode === null);
    await Promise.all(
      alive.map(
        (child) =>
          new Promise<void>((resolve) => {
            const killer = setTimeout(() => child.process.kill("SIGKILL"), 20_000);
            child.process.once("exit", () => {
              clearTimeout(killer);
              resolve();
            });
            child.process.kill("SIGTERM");
          }),
      ),
    );
    await cleanup();
    process.exit(exitCode);
  };

  for (const child of children) {
    child.process.on("exit", (code, signal) => {
      if (stopping) return;
      say(`${child.name} stopped (${signal ?? `exit code ${code}`}); stopping everything.`);
      void stopAll(code === 0 ? 0 : 1);
    });
  }
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      say(`${signal} received: shutting down.`);
      void stopAll(0);
    });
  }
}
