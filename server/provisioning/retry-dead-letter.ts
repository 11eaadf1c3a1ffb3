import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { ZDeadLetterRetry } from "@/server/provisioning/schemas";
import { findOwnApplication } from "@/server/provisioning/manage-scim-settings";
import { enqueueMemberSync } from "@/server/provisioning/sync-member-account";
import type { z } from "zod";

// "Retry" on a dead letter: the pair's job again, from its first attempt. It
// sends what Tenure wants for the member now, nothing the admin chooses.

export async function retryDeadLetter(db: TDatabase, tenantId: bigint, rawInput: z.input<typeof ZDeadLetterRetry>): Promise<{ queued: true }> {
  const input = ZDeadLetterRetry.parse(rawInput);
  const application = await findOwnApplication(db, tenantId, input.applicationId);
  await db.$transaction(async (tx) => {
    const [letter] = await tx.$queryRaw<{ user_id: bigint }[]>`
      DELETE FROM provisioning_dead_letters WHERE id = ${BigInt(input.deadLetterId)} AND application_id = ${application.id} AND tenant_id = ${tenantId} RETURNING user_id`;
    if (!letter) throw new NotFoundError("This failure was retried already");
    await tx.memberProvisioning.updateMany({ where: { applicationId: application.id, userId: letter.user_id, status: "failed" }, data: { status: "pending", updatedAt: new Date() } });
    await enqueueMemberSync(tx, application.id, letter.user_id);
  });
  return { queued: true };
}
