import { EventEmitter } from "node:events";
import path from "node:path";
import { Logger, run, type Runner, type TaskList, type WorkerEvents } from "graphile-worker";
import { db } from "@/server/db/client";
import type { TTaskName } from "@/server/queue/payloads";
import { forgetWorkers, HEARTBEAT_EVERY_MS, recordHeartbeat } from "@/server/queue/worker-heartbeats";
import { taskList } from "@/workers/task-list";

export const CRONTAB_FILE = path.join(process.cwd(), "workers", "crontab");

/**
 * Tasks that mostly wait on another system (an SMTP relay, a SCIM peer, a
 * relying party, a webhook endpoint). They run in a runner of their own with a
 * higher concurrency: a bulk disable of 10,000 members queues 10,000 of them,
 * and five at a time would leave both cores idle while peers answer. Database
 * work (imports, syncs, sweeps) keeps the small main pool, so a flood of
 * deliveries never starves it.
 */
export const DELIVERY_TASKS = [
  "mail__deliver",
  "alerts__deliver",
  "webhooks__deliver",
  "provisioning__sync_member",
  "provisioning__sync_group",
  "application__deliver_backchannel_logout",
] as const satisfies readonly TTaskName[];

export const DEFAULT_CONCURRENCY = 5;
export const DEFAULT_DELIVERY_CONCURRENCY = 25;

export function workerLogger(write: (line: string) => void): Logger {
  return new Logger((scope) => (level, message) => {
    if (level === "debug") return;
    write(`[worker${scope.label ? `:${scope.label}` : ""}] ${level}: ${message}`);
  });
}

function splitTaskList(): { main: TaskList; deliveries: TaskList } {
  const delivery = new Set<string>(DELIVERY_TASKS);
  const entries = Object.entries(taskList) as [string, TaskList[string]][];
  return {
    main: Object.fromEntries(entries.filter(([name]) => !delivery.has(name))),
    deliveries: Object.fromEntries(entries.filter(([name]) => delivery.has(name))),
  };
}

/**
 * Deliveries come in floods (a bulk disable queues 10,000 at once), each job short: fetching one job per
 * query and completing one per statement cost the database more than the jobs' own work. The runner fetches
 * (and locks) up to a batch of ready jobs at once and completes finished ones together. Per-queue order is
 * kept: a batch holds at most one job of a queue, and a queue stays locked while its job waits or runs. A
 * crashed worker leaves at most one batch locked (graphile-worker frees it after its lock timeout).
 */
export function deliveryBatching(deliveryConcurrency: number) {
  return { localQueue: { size: deliveryConcurrency + 1 }, completeJobBatchDelay: 0 };
}

/** The ids that lock jobs (each worker's, and each pool's for its local queue), gathered as the runners create them. */
function lockingIds(ids: Set<string>): WorkerEvents {
  const events: WorkerEvents = new EventEmitter();
  events.on("pool:create", ({ workerPool }) => ids.add(workerPool.id));
  events.on("worker:create", ({ worker }) => ids.add(worker.workerId));
  return events;
}

/** Beats for those ids until stopped, then forgets them (server/queue/worker-heartbeats.ts: a dead process's jobs are freed). */
function keepBeating(ids: Set<string>, log: (line: string) => void): { stop(): Promise<void> } {
  const beat = () => recordHeartbeat(db(), [...ids]).catch((error: unknown) => log(`[worker] warning: heartbeat not recorded (${String(error)})`));
  let last = beat();
  const timer = setInterval(() => {
    last = beat();
  }, HEARTBEAT_EVERY_MS);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await last;
      await forgetWorkers(db(), [...ids]).catch(() => undefined);
    },
  };
}

/** The worker's two runners, stopped and awaited as one. */
export type TWorker = { stop(): Promise<void>; promise: Promise<void> };

export type TWorkerOptions = {
  connectionString: string;
  /** Jobs of database work run at once (WORKER_CONCURRENCY). */
  concurrency?: number;
  /** Deliveries to other systems run at once (WORKER_DELIVERY_CONCURRENCY). */
  deliveryConcurrency?: number;
  log?: (line: string) => void;
  crontab?: boolean;
};

/** Starts graphile-worker with our tasks and crontab; the caller owns signals and shutdown. */
export async function startWorker(options: TWorkerOptions): Promise<TWorker> {
  const log = options.log ?? ((line: string) => console.log(line));
  const logger = workerLogger(log);
  const ids = new Set<string>();
  // The tasks' Prisma client is built and connected before the first job: its first query compiles the query
  // engine's WebAssembly (about a second on a busy machine), which the first back-channel logout after a start would wait for.
  await db().$queryRaw`SELECT 1`;
  const tasks = splitTaskList();
  const deliveryConcurrency = options.deliveryConcurrency ?? DEFAULT_DELIVERY_CONCURRENCY;
  const runners: Runner[] = [];
  try {
    runners.push(
      await run({
        connectionString: options.connectionString,
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        taskList: tasks.main,
        ...(options.crontab === false ? {} : { crontabFile: CRONTAB_FILE }),
        noHandleSignals: true,
        logger,
        events: lockingIds(ids),
      }),
    );
    runners.push(
      await run({
        connectionString: options.connectionString,
        concurrency: deliveryConcurrency,
        // Each running job holds a connection only while it reads or records; the HTTP wait holds none.
        maxPoolSize: Math.min(deliveryConcurrency, 20),
        preset: { worker: deliveryBatching(deliveryConcurrency) },
        taskList: tasks.deliveries,
        noHandleSignals: true,
        logger,
        events: lockingIds(ids),
      }),
    );
  } catch (error) {
    await Promise.all(runners.map((runner) => runner.stop()));
    throw error;
  }
  const heartbeat = keepBeating(ids, log);
  return {
    stop: async () => {
      // Stopped runners have released their jobs: only then do their ids stop counting as alive.
      await Promise.all(runners.map((runner) => runner.stop()));
      await heartbeat.stop();
    },
    promise: Promise.all(runners.map((runner) => runner.promise)).then(() => undefined),
  };
}
