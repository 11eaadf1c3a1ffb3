/**
 * Runs a batch-limited DELETE (its statement deletes at most `batchSize` rows) until a batch comes back short:
 * a large backlog never holds one long lock, and a retry deletes what is left. Returns the rows deleted.
 */
export async function deleteInBatches(batchSize: number, deleteBatch: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const deleted = await deleteBatch();
    total += deleted;
    if (deleted < batchSize) return total;
  }
}
