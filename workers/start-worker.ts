import path from "node:path";
import { Logger, run, type Runner } from "graphile-worker";
import { taskList } from "@/workers/task-list";

export const CRONTAB_FILE = path.join(process.cwd(), "workers", "crontab");

export function workerLogger(write: (line: string) => void): Logger {
  return new Logger((scope) => (level, message) => {
    if (level === "debug") return;
    write(`[worker${scope.label ? `:${scope.label}` : ""}] ${level}: ${message}`);
  });
}

/** Starts graphile-worker with our tasks and crontab; the caller owns signals and shutdown. */
export function startWorker(options: { connectionString: string; concurrency?: number; log?: (line: string) => void; crontab?: boolean }): Promise<Runner> {
  return run({
    connectionString: options.connectionString,
    concurrency: options.concurrency ?? 5,
    taskList,
    ...(options.crontab === false ? {} : { crontabFile: CRONTAB_FILE }),
    noHandleSignals: true,
    logger: workerLogger(options.log ?? ((line) => console.log(line))),
  });
}
