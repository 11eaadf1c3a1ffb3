import type { TDatabase } from "@/server/db/client";
import { findSignInApplication } from "@/server/application-members/find-sign-in-application";
import { ZApplicationListInput, type TApplicationListInput } from "@/server/application-members/schemas";

// An application's page: who signed in through Tenure's issuer, and who was
// refused (and why), newest first, a keyset page at a time on
// application_sign_ins_recent_idx.

export type TApplicationSignInLine = {
  id: string;
  memberId: string;
  memberName: string;
  outcome: "granted" | "refused";
  reason: string;
  ipAddress: string | null;
  createdAt: Date;
};

export async function listApplicationSignIns(db: TDatabase, tenantId: bigint, rawInput: TApplicationListInput) {
  const input = ZApplicationListInput.parse(rawInput);
  const application = await findSignInApplication(db, tenantId, BigInt(input.applicationId));
  const cursor = input.cursor ? BigInt(input.cursor) : null;
  const rows = await db.$queryRaw<{ id: bigint; user_id: bigint; full_name: string; outcome: "granted" | "refused"; reason: string; ip_address: string | null; created_at: Date }[]>`
    SELECT s.id, s.user_id, u.full_name, s.outcome, s.reason, s.ip_address, s.created_at
    FROM application_sign_ins s JOIN users u ON u.id = s.user_id
    WHERE s.tenant_id = ${tenantId} AND s.application_id = ${application.id}
      AND (${cursor}::bigint IS NULL OR (s.created_at, s.id) < (
        SELECT c.created_at, c.id FROM application_sign_ins c WHERE c.id = ${cursor}::bigint AND c.application_id = ${application.id}))
    ORDER BY s.created_at DESC, s.id DESC
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map(
      (row): TApplicationSignInLine => ({
        id: row.id.toString(),
        memberId: row.user_id.toString(),
        memberName: row.full_name,
        outcome: row.outcome,
        reason: row.reason,
        ipAddress: row.ip_address,
        createdAt: row.created_at,
      }),
    ),
    nextCursor: rows.length > input.limit ? page.at(-1)!.id.toString() : null,
  };
}
