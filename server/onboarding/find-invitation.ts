import type { TDatabaseOrTransaction } from "@/server/db/client";
import { invitationTokenHash } from "@/server/onboarding/invitation-token";
import { INVITABLE_STATES } from "@/server/onboarding/invitations";
import { passwordByDirectorySql } from "@/server/shared/managed-fields";

export type TOpenInvitation = {
  invitationId: bigint;
  memberId: bigint;
  tenantId: bigint;
  organisation: string;
  organisationSlug: string;
  username: string;
  firstName: string;
  lastName: string;
  fullName: string;
  email: string;
  /** Set while the member is pending: they may choose a password now and sign in from then. */
  startDate: Date | null;
};

/**
 * The invitation a link's token opens, if it still may be used: not used,
 * not expired, its member neither archived, deleted, disabled nor resigned,
 * and without a password yet (an invitation sets the first one).
 * Otherwise null, whatever the reason, so a link reveals nothing more.
 */
export async function findOpenInvitation(db: TDatabaseOrTransaction, token: string): Promise<TOpenInvitation | null> {
  const [row] = await db.$queryRaw<
    { invitation_id: bigint; member_id: bigint; tenant_id: bigint; organisation: string; organisation_slug: string; username: string; first_name: string; last_name: string; full_name: string; email: string; state: string; start_date: Date | null }[]
  >`
    SELECT i.id AS invitation_id, u.id AS member_id, u.tenant_id, t.name AS organisation, t.slug AS organisation_slug,
      u.username::text, u.first_name, u.last_name, u.full_name, u.email::text, u.state, u.start_date
    FROM invitations i JOIN users u ON u.id = i.user_id JOIN tenants t ON t.id = u.tenant_id
    WHERE i.token_hash = ${invitationTokenHash(token)} AND i.used_at IS NULL AND i.expires_at > now()
      AND u.state = ANY(${[...INVITABLE_STATES]}::text[]) AND u.password_hash IS NULL AND NOT ${passwordByDirectorySql("u")}`;
  if (!row) return null;
  return {
    invitationId: row.invitation_id,
    memberId: row.member_id,
    tenantId: row.tenant_id,
    organisation: row.organisation,
    organisationSlug: row.organisation_slug,
    username: row.username,
    firstName: row.first_name,
    lastName: row.last_name,
    fullName: row.full_name,
    email: row.email,
    startDate: row.state === "pending" ? row.start_date : null,
  };
}
