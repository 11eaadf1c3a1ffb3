import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { invitationRefusal } from "@/server/onboarding/invitations";
import { passwordByDirectorySql } from "@/server/shared/managed-fields";

/** What the member page shows about a member's invitation, and whether another may be sent. */
export async function getInvitationStatus(db: TDatabase, tenantId: bigint, memberId: bigint) {
  const [row] = await db.$queryRaw<{ state: string; has_password: boolean; password_by_directory: boolean; has_email: boolean; created_at: Date | null; expires_at: Date | null; used_at: Date | null; now: Date }[]>`
    SELECT u.state, u.password_hash IS NOT NULL AS has_password, ${passwordByDirectorySql("u")} AS password_by_directory, u.email IS NOT NULL AS has_email, i.created_at, i.expires_at, i.used_at, now() AS now
    FROM users u
    LEFT JOIN LATERAL (SELECT created_at, expires_at, used_at FROM invitations WHERE user_id = u.id ORDER BY id DESC LIMIT 1) i ON true
    WHERE u.id = ${memberId} AND u.tenant_id = ${tenantId}`;
  if (!row) throw new NotFoundError("Member not found");
  const refusal = invitationRefusal({ state: row.state, hasPassword: row.has_password, passwordByDirectory: row.password_by_directory });
  const latest = row.created_at
    ? {
        sentAt: row.created_at,
        expiresAt: row.expires_at as Date,
        acceptedAt: row.used_at,
        // A member without email gets no mail: the link was shown to the admin to hand over.
        delivery: row.has_email ? ("mail" as const) : ("handed" as const),
        status: row.used_at ? ("accepted" as const) : (row.expires_at as Date) > row.now ? ("open" as const) : ("expired" as const),
      }
    : null;
  return { hasPassword: row.has_password, canResend: refusal === null, refusal, latest };
}
