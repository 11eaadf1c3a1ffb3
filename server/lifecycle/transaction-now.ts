import type { TTransaction } from "@/server/db/client";

/** The transaction's own clock (now()), so every row an action writes carries the same instant. */
export async function transactionNow(tx: TTransaction): Promise<Date> {
  const rows = await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`;
  return (rows[0] as { now: Date }).now;
}
