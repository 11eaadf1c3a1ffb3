import type { TTransaction } from "@/server/db/client";

// Structural changes of one tenant's tree run one at a time: two concurrent
// moves could otherwise each pass the cycle check and together make a loop.
const TREE_LOCK_NAMESPACE = 7_340_002;

export async function lockDepartmentTree(tx: TTransaction, tenantId: bigint): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TREE_LOCK_NAMESPACE}, ${Number(tenantId % 2_147_483_647n)}::int)`;
}
