import type { TDatabaseOrTransaction, TTransaction } from "@/server/db/client";

type TTransactionOptions = { timeout?: number; maxWait?: number };

/**
 * Runs `work` in the caller's transaction, or in a new one when given the
 * client: a service called alone is atomic, and a caller composing several
 * services (a SCIM PUT: profile, department, lifecycle) makes them one.
 */
export function inTransaction<T>(db: TDatabaseOrTransaction, work: (tx: TTransaction) => Promise<T>, options?: TTransactionOptions): Promise<T> {
  return "$transaction" in db ? db.$transaction(work, options) : work(db);
}

/** True when given an open transaction (a caller's), not the client. */
export const isTransaction = (db: TDatabaseOrTransaction): db is TTransaction => !("$transaction" in db);
