import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/server/db/generated/client";
import { serverEnv } from "@/server/env";
import { closeBulkPool } from "@/server/db/copy-rows";
import { preparedStatementName } from "@/server/db/prepared-statements";

export type TDatabase = PrismaClient;
export type TTransaction = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** Either the client or an open transaction: services accept both. */
export type TDatabaseOrTransaction = PrismaClient | TTransaction;

const globalForPrisma = globalThis as unknown as { tenurePrisma?: PrismaClient };

function createClient(): PrismaClient {
  const adapter = new PrismaPg({ connectionString: serverEnv().DATABASE_URL }, { statementNameGenerator: preparedStatementName });
  return new PrismaClient({ adapter });
}

/** The process-wide Prisma client (one pool), created on first use. */
export function db(): PrismaClient {
  // Kept on globalThis so Next's dev reloads do not open a new pool each time.
  globalForPrisma.tenurePrisma ??= createClient();
  return globalForPrisma.tenurePrisma;
}

export async function disconnectDatabase(): Promise<void> {
  await closeBulkPool();
  await globalForPrisma.tenurePrisma?.$disconnect();
  globalForPrisma.tenurePrisma = undefined;
}
