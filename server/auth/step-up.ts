import type { TDatabaseOrTransaction } from "@/server/db/client";

/** Operations that ask for more than a live admin session. */
export type TSensitiveOperation = "security_policy.update";

/**
 * The seam for step-up authentication: every sensitive operation calls this
 * before it changes anything. Today a live admin session is enough. The MFA
 * work makes it demand a second factor verified on `sessionId` within the last
 * few minutes (throwing ForbiddenError("step_up_required") otherwise, which
 * the form turns into a prompt for the code).
 */
export async function assertStepUp(
  _db: TDatabaseOrTransaction,
  _session: { sessionId: string; memberId: bigint },
  _operation: TSensitiveOperation,
): Promise<void> {}
