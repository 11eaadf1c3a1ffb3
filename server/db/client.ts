import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/server/db/generated/client";
import { serverEnv } from "@/server/env";
import { closeBulkPool } from "@/server/db/copy-rows";

export type TDatabase = PrismaClient;
export type TTransaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** Either the client or an open transaction: services accept both. */
export type TDatabaseOrTransaction = PrismaClient | TTransaction;

const globalForPrisma = globalThis as unknown as { tenurePrisma?: PrismaClient; tenurePool?: pg.Pool };

/** The pool's settings: where, and how many connections at most (DATABASE_POOL_SIZE). */
export function databasePoolConfig(): { connectionString: string; max: number } {
  const env = serverEnv();
  return { connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE };
}

function createClient(): PrismaClient {
  // Prisma's pool is ours, so the few hot statements that skip Prisma (server/db/prepared-statements.ts) share its connections.
  const pool = new pg.Pool(databasePoolConfig());
  // An idle connection the server closed (a restart, a failover, an administrator) leaves the pool and the next
  // query opens a new one; unheard, pg's "error" event would end the process.
  pool.on("error", (error) => console.error(`[database] an idle connection was closed: ${error.message}`));
  globalForPrisma.tenurePool = pool;
  const adapter = new PrismaPg(pool, { disposeExternalPool: true });
  return new PrismaClient({ adapter });
}

/** The process-wide Prisma client (one pool), created on first use. */
export function db(): PrismaClient {
  // Kept on globalThis so Next's dev reloads do not open a new pool each time.
  globalForPrisma.tenurePrisma ??= createClient();
  return globalForPrisma.tenurePrisma;
}

/** The client's own connection pool (the client is created if it was not yet). */
export function databasePool(): pg.Pool {
  db();
  return globalForPrisma.tenurePool!;
}

export async function disconnectDatabase(): Promise<void> {
  await closeBulkPool();
  const pool = globalForPrisma.tenurePool;
  await globalForPrisma.tenurePrisma?.$disconnect();
  // Prisma ends the pool only if it had connected: a process that used the pool alone (prepared statements) ends it here.
  if (pool && !pool.ended) await pool.end();
  globalForPrisma.tenurePrisma = undefined;
  globalForPrisma.tenurePool = undefined;
}
