import { Prisma } from "@/server/db/generated/client";
import type { TDatabase, TTransaction } from "@/server/db/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { ValidationError, NotFoundError, ForbiddenError } from "@/server/errors";
import { cancelJobs } from "@/server/queue/enqueue";
import { authorityRefusal, type TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockMembersForUpdate } from "@/server/lifecycle/load-members";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { ZHardDeleteInput, type THardDeleteInput } from "@/server/lifecycle/schemas";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";

/** The tables whose granted_by names a member without a foreign key (migration 20261208140000). */
const GRANT_TABLES = [
  "member_roles",
  "member_groups",
  "member_applications",
  "member_policies",
  "department_roles",
  "department_applications",
  "group_roles",
  "group_applications",
] as const;

/**
 * Every identifier the members were known by, lower-cased: their current
 * username, email and mobile, and every earlier or later value the audit
 * trail recorded for those fields (renames). Read before the trail is erased.
 */
async function identifiersOf(tx: TTransaction, tenantId: bigint, memberIds: bigint[]): Promise<string[]> {
  const rows = await tx.$queryRaw<{ value: string }[]>`
    SELECT DISTINCT lower(value) AS value FROM (
      SELECT unnest(ARRAY[u.username::text, u.email::text, u.mobile]) AS value
      FROM users u WHERE u.tenant_id = ${tenantId} AND u.id = ANY(${memberIds}::bigint[])
      UNION ALL
      SELECT change.value ->> side
      FROM audit_events e
      CROSS JOIN LATERAL jsonb_each(e.changes) AS change
      CROSS JOIN unnest(ARRAY['before', 'after']) AS side
      WHERE e.tenant_id = ${tenantId} AND e.target_type = 'member' AND e.target_id = ANY(${memberIds}::bigint[])
        AND change.key IN ('username', 'email', 'mobile') AND jsonb_typeof(change.value) = 'object'
    ) known
    WHERE value IS NOT NULL AND value <> ''`;
  return rows.map((row) => row.value);
}

/** The digits of the members' mobiles (E.164 without "+"): staged import rows hold them so. */
const mobileDigitsOf = (identifiers: string[]) => identifiers.filter((value) => /^\+\d{6,}$/.test(value)).map((value) => value.slice(1));

/**
 * The digits a mobile typed in any format leaves once a "(0)" trunk prefix,
 * non-digits and leading zeros are dropped: the international number ("+44 7911…", "0044 7911…") or
 * the national one ("07911 …"), i.e. without its 1–3 digit country code.
 */
const typedMobileForms = (digits: string[]) => digits.flatMap((number) => [0, 1, 2, 3].map((codeLength) => number.slice(codeLength).replace(/^0+/, "")));

/**
 * Removes every row about the members: the member record, application and
 * policy authorisations, department, group and role relations, sessions,
 * receipts, mail, invitations, login history, MFA and reset tokens, the
 * recycle-bin entry (foreign keys cascade from users), staged import rows
 * that matched them, and sign-in attempts and staged rows that carry any
 * identifier they ever had (renames included; mobiles in any format). Where
 * they are named as who granted, created, changed, revoked or applied
 * something, or as a SCIM manager, the row stays with the id emptied. The
 * audit trail stays, with opaque ids only: the changed fields' values are
 * erased, and so are the addresses and browsers of the members' own actions
 * and of the events about them that had no actor (lockouts, abnormal
 * sign-ins, reset requests: those addresses are the member's or a guesser's).
 * Call inside a transaction, with members already row-locked.
 */
export async function eraseMembers(tx: TTransaction, actor: TLifecycleActor, memberIds: bigint[]): Promise<number> {
  if (memberIds.length === 0) return 0;
  const identifiers = await identifiersOf(tx, actor.tenantId, memberIds);
  const mobileDigits = mobileDigitsOf(identifiers);
  await tx.$executeRaw`
    UPDATE audit_events SET changes = (
      SELECT coalesce(jsonb_object_agg(field, '{"erased": true}'::jsonb), '{}'::jsonb) FROM jsonb_object_keys(changes) AS field),
      ip_address = CASE WHEN actor_id IS NULL THEN NULL ELSE ip_address END,
      user_agent = CASE WHEN actor_id IS NULL THEN NULL ELSE user_agent END
    WHERE tenant_id = ${actor.tenantId} AND target_type = 'member' AND target_id = ANY(${memberIds}::bigint[])`;
  await tx.$executeRaw`
    UPDATE audit_events SET ip_address = NULL, user_agent = NULL
    WHERE tenant_id = ${actor.tenantId} AND actor_id = ANY(${memberIds}::bigint[])`;
  await cancelJobs(tx, memberIds.flatMap((id) => [memberJobKey("unlock", id), memberJobKey("activate", id), memberJobKey("resign", id)]));
  // Attempts that resolved to the members carry their id (cascade); the rest
  // were typed with an identifier nobody held at the time, under a mistyped
  // organisation (no tenant), or with a mobile in another format.
  await tx.$executeRaw`
    DELETE FROM login_attempts
    WHERE (tenant_id = ${actor.tenantId} OR tenant_id IS NULL) AND user_id IS NULL
      AND (lower(login::text) = ANY(${identifiers}::text[])
        OR (login::text ~ '^[-+0-9 ().]{7,}$' AND ltrim(regexp_replace(replace(login::text, '(0)', ''), '[^0-9]', '', 'g'), '0') = ANY(${typedMobileForms(mobileDigits)}::text[])))`;
  await tx.$executeRaw`
    WITH staged AS (
      SELECT r.import_id, r.row_number FROM member_import_rows r
      JOIN member_imports i ON i.id = r.import_id AND i.tenant_id = ${actor.tenantId}
      WHERE r.member_id = ANY(${memberIds}::bigint[])
         OR lower(r.username) = ANY(${identifiers}::text[])
         OR lower(r.values->>'username') = ANY(${identifiers}::text[])
         OR lower(r.values->>'email') = ANY(${identifiers}::text[])
         OR ltrim(coalesce(r.values->>'mobile', ''), '+') = ANY(${mobileDigits}::text[])),
    errors AS (
      DELETE FROM member_import_errors e USING staged s WHERE e.import_id = s.import_id AND e.row_number = s.row_number)
    DELETE FROM member_import_rows r USING staged s WHERE r.import_id = s.import_id AND r.row_number = s.row_number`;
  // Who created or last changed a member is an id without a foreign key (a key's SET NULL would scan the table once
  // per erased member: the columns have no index, which every created member would pay for): one pass for all.
  await tx.$executeRaw`
    UPDATE users SET
      created_by = CASE WHEN created_by = ANY(${memberIds}::bigint[]) THEN NULL ELSE created_by END,
      last_modified_by = CASE WHEN last_modified_by = ANY(${memberIds}::bigint[]) THEN NULL ELSE last_modified_by END
    WHERE tenant_id = ${actor.tenantId} AND (created_by = ANY(${memberIds}::bigint[]) OR last_modified_by = ANY(${memberIds}::bigint[]))`;
  // Who granted access is an id without a foreign key (its SET NULL scanned the grant table, millions of rows, once per
  // erased member): one pass per table for the whole batch.
  for (const table of GRANT_TABLES) {
    await tx.$executeRaw`UPDATE ${Prisma.raw(table)} SET granted_by = NULL WHERE granted_by = ANY(${memberIds}::bigint[])`;
  }
  const erased = await tx.$executeRaw`DELETE FROM users WHERE tenant_id = ${actor.tenantId} AND id = ANY(${memberIds}::bigint[])`;
  await recordAuditEvents(tx, actor, {
    action: "member.erased",
    targetType: "member",
    targets: memberIds.map((targetId) => ({ targetId, changes: {} })),
  });
  return erased;
}

/**
 * An admin deletes a member permanently now, from any state, after typing the
 * username to confirm (the recycle bin's grace period is skipped).
 */
export async function hardDeleteMember(db: TDatabase, actor: TLifecycleActor & TStepUpSession, rawInput: THardDeleteInput): Promise<{ erased: true }> {
  const input = ZHardDeleteInput.parse(rawInput);
  await assertStepUp(db, actor, "member.hard_delete");
  const memberId = BigInt(input.memberId);
  return db.$transaction(async (tx) => {
    const [member] = await lockMembersForUpdate(tx, actor.tenantId, [memberId]);
    if (!member) throw new NotFoundError("No such member in your organisation");
    const refusal = authorityRefusal(actor, member, "hard-delete");
    if (refusal) throw new ForbiddenError(refusal);
    if (member.username.toLowerCase() !== input.confirmUsername.toLowerCase()) {
      const message = `Type ${member.username} to confirm`;
      throw new ValidationError(message, { confirmUsername: [message] });
    }
    await cancelJobs(tx, [memberJobKey("hard-delete", memberId)]);
    await eraseMembers(tx, actor, [memberId]);
    return { erased: true as const };
  });
}
