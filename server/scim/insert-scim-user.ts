import { Prisma } from "@/server/db/generated/client";
import { queryPrepared } from "@/server/db/prepared-statements";
import { violatedUniqueIndex } from "@/server/errors";
import { creationChanges } from "@/server/audit/record-audit-event";
import { needsAlertJob } from "@/server/audit/alertable-actions";
import { webhookRulesOf } from "@/server/audit/webhook-event-types";
import { profileValues } from "@/server/members/profile-values";
import { scimServiceActor, type TScimCaller } from "@/server/scim/scim-actor";
import type { TScimUserInput } from "@/server/scim/scim-user-input";
import type { TScimUserRow } from "@/server/scim/scim-user-resource";

// The common POST /Users (a new userName, no department, not created
// inactive) in one statement, outside any interactive transaction: the
// member, its SCIM identity and its member.created audit event are written
// together or not at all, and the row answered is the one written. Anything
// else returns null and the caller takes the transactional path, which
// explains it in full: a unique violation (a taken username or email, or a
// userName DELETEd earlier whose member comes back), an unknown manager, an
// organisation whose webhooks subscribe to member.created (their outbox and
// jobs are written with the event), an event that raises an alert.

const CREATED = "member.created" as const;
const SUBSCRIBED_TYPES = webhookRulesOf(CREATED).map((rule) => rule.type);

export function canInsertDirectly(input: TScimUserInput): boolean {
  return input.department === null && input.active !== false;
}

export async function insertScimUser(caller: TScimCaller, input: TScimUserInput): Promise<TScimUserRow | null> {
  const values = profileValues({ ...input.profile, role: "member" }, caller.tenantNameOrder);
  const changes = creationChanges(values);
  if (needsAlertJob(CREATED, [changes])) return null;
  const actor = scimServiceActor(caller);
  const managerId = input.managerId === null ? null : /^\d{1,18}$/.test(input.managerId) ? BigInt(input.managerId) : -1n;
  try {
    const [row] = await queryPrepared<TScimUserRow>(Prisma.sql`
      WITH subscribers AS (
        SELECT 1 FROM webhook_endpoints WHERE tenant_id = ${caller.tenantId} AND enabled AND event_types && ${SUBSCRIBED_TYPES}::text[] LIMIT 1
      ), allowed AS (
        SELECT WHERE NOT EXISTS (SELECT 1 FROM subscribers)
          AND (${managerId}::bigint IS NULL OR EXISTS (SELECT 1 FROM users WHERE tenant_id = ${caller.tenantId} AND id = ${managerId}::bigint AND deleted_at IS NULL))
      ), member AS (
        INSERT INTO users (tenant_id, source, username, email, first_name, last_name, full_name, mobile, itc, country, landline, gender, title, address, sys_admin)
        SELECT ${caller.tenantId}, 'scim', ${values.username}::citext, ${values.email}::citext, ${values.firstName}, ${values.lastName}, ${values.fullName},
               ${values.mobile}, ${values.itc}, ${values.country}, ${values.landline}, ${values.gender}, ${values.title}, ${values.address}, ${values.sysAdmin}::int
        FROM allowed
        RETURNING id, username::text AS username, email::text AS email, first_name, last_name, full_name, mobile, landline, title, enabled, state, sys_admin,
                  created_at, updated_at, state_changed_at
      ), identity AS (
        INSERT INTO scim_identities (user_id, tenant_id, api_token_id, user_name, external_id, employee_number, manager_id)
        SELECT id, ${caller.tenantId}, ${caller.tokenId}, ${input.userName}::citext, ${input.externalId}, ${input.employeeNumber}, ${managerId}::bigint FROM member
        RETURNING user_name::text AS user_name, external_id, employee_number, manager_id, updated_at
      ), audit AS (
        INSERT INTO audit_events (tenant_id, actor_id, actor_directory_id, actor_token_id, action, target_type, target_id, changes, ip_address, user_agent)
        SELECT ${actor.tenantId}, ${actor.memberId}::bigint, ${actor.directoryId ?? null}::bigint, ${actor.apiTokenId ?? null}::bigint, ${CREATED}, 'member', id,
               ${JSON.stringify(changes)}::jsonb, ${actor.ipAddress?.slice(0, 45) ?? null}, ${actor.userAgent?.slice(0, 512) ?? null}
        FROM member
        RETURNING id
      )
      SELECT m.id, m.username, i.user_name AS scim_user_name, i.external_id, i.employee_number, i.manager_id, m.email, m.first_name, m.last_name, m.full_name,
             m.mobile, m.landline, m.title, m.enabled, m.state, m.sys_admin, NULL::text AS department, m.created_at,
             GREATEST(m.updated_at, m.state_changed_at, i.updated_at) AS version_at
      FROM member m CROSS JOIN identity i`);
    return row ?? null;
  } catch (error) {
    if (violatedUniqueIndex(error) !== null) return null;
    throw error;
  }
}
