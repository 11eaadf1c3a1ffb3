import { describe, expect, it } from "vitest";
import { markSteppedUp } from "@/server/auth/step-up";
import { db } from "@/server/db/client";
import { hardDeleteMember } from "@/server/lifecycle/hard-delete-members";
import { ENTERPRISE_SCHEMA, loadUserRow, userResource } from "@/server/scim/scim-user-resource";
import { createMember, createSignedInMember, unique } from "../support/factories";
import { comparable, effectiveAccessFromScratch, storedEffectiveAccess } from "../support/access-model";
import { lifecycleScene } from "../support/lifecycle";
import { createWebhookEndpointRow } from "../support/webhooks";

// Who granted, created, revoked or applied something, and a SCIM manager, name members by id. Erasing a member
// empties those ids (set-based for the grant tables, whose keys are gone; through an indexed key elsewhere), and
// leaves everyone else's untouched. An archived member's grant keeps its read-only state meanwhile.

type TActorRow = { tbl: string; key: string; actor: bigint | null; second: bigint | null };

/** The actor columns of every row the scene made, as (table, row key, actor[, second actor]). */
async function actorColumns(tenantId: bigint, memberIds: bigint[], items: bigint[], departmentId: bigint): Promise<TActorRow[]> {
  return db().$queryRaw<TActorRow[]>`
    SELECT 'member_roles' AS tbl, user_id || ':' || role_id AS key, granted_by AS actor, NULL::bigint AS second FROM member_roles WHERE user_id = ANY(${memberIds}::bigint[])
    UNION ALL SELECT 'member_groups', user_id || ':' || group_id, granted_by, NULL FROM member_groups WHERE user_id = ANY(${memberIds}::bigint[])
    UNION ALL SELECT 'member_applications', user_id || ':' || application_id, granted_by, NULL FROM member_applications WHERE user_id = ANY(${memberIds}::bigint[])
    UNION ALL SELECT 'member_policies', user_id || ':' || policy_id, granted_by, NULL FROM member_policies WHERE user_id = ANY(${memberIds}::bigint[])
    UNION ALL SELECT 'department_roles', role_id::text, granted_by, NULL FROM department_roles WHERE department_id = ${departmentId}
    UNION ALL SELECT 'department_applications', application_id::text, granted_by, NULL FROM department_applications WHERE department_id = ${departmentId}
    UNION ALL SELECT 'group_roles', group_id || ':' || role_id, granted_by, NULL FROM group_roles WHERE role_id = ANY(${items}::bigint[])
    UNION ALL SELECT 'group_applications', group_id || ':' || application_id, granted_by, NULL FROM group_applications WHERE application_id = ANY(${items}::bigint[])
    UNION ALL SELECT 'api_tokens', name, created_by, revoked_by FROM api_tokens WHERE tenant_id = ${tenantId}
    UNION ALL SELECT 'webhook_endpoints', url, created_by, NULL FROM webhook_endpoints WHERE tenant_id = ${tenantId}
    UNION ALL SELECT 'import_mappings', name, created_by, NULL FROM import_mappings WHERE tenant_id = ${tenantId}
    UNION ALL SELECT 'member_imports', file_name, created_by, applied_by FROM member_imports WHERE tenant_id = ${tenantId}
    UNION ALL SELECT 'application_client_secrets', hint, created_by, NULL FROM application_client_secrets WHERE tenant_id = ${tenantId}
    UNION ALL SELECT 'scim_identities', user_id::text, manager_id, NULL FROM scim_identities WHERE tenant_id = ${tenantId}
    ORDER BY 1, 2`;
}

describe("erasing a member who acted on others", () => {
  it("empties the member's id wherever it names who did something or a SCIM manager, and nobody else's", async () => {
    const { tenant, admin, department, items } = await lifecycleScene();
    const adminSession = await db().session.findFirstOrThrow({ where: { userId: admin.id }, select: { id: true } });
    await markSteppedUp(db(), adminSession.id);
    const adminActor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin, sessionId: adminSession.id };
    const { member: leaver } = await createSignedInMember(tenant.id, { role: "admin" });
    const held = await createMember(tenant.id);
    const archived = await createMember(tenant.id);
    const [L, A] = [leaver.id, admin.id];
    const role = items.role.id, group = items.group.id, application = items.application.id, policy = items.policy.id;
    const secondRole = (await db().role.create({ data: { tenantId: tenant.id, name: unique("role") } })).id;

    // Each grant table: one row the leaver granted, one the admin granted; the archived member holds one of the leaver's.
    await db().$executeRaw`INSERT INTO member_roles (user_id, role_id, granted_by) VALUES (${held.id}, ${role}, ${L}), (${held.id}, ${secondRole}, ${A}), (${archived.id}, ${role}, ${L})`;
    await db().$executeRaw`INSERT INTO member_groups (user_id, group_id, granted_by) VALUES (${held.id}, ${group}, ${L}), (${archived.id}, ${group}, ${A})`;
    await db().$executeRaw`INSERT INTO member_applications (user_id, application_id, granted_by) VALUES (${held.id}, ${application}, ${L}), (${archived.id}, ${application}, ${A})`;
    await db().$executeRaw`INSERT INTO member_policies (user_id, policy_id, granted_by) VALUES (${held.id}, ${policy}, ${L}), (${archived.id}, ${policy}, ${A})`;
    await db().$executeRaw`INSERT INTO department_roles (department_id, role_id, granted_by) VALUES (${department.id}, ${role}, ${L}), (${department.id}, ${secondRole}, ${A})`;
    await db().$executeRaw`INSERT INTO department_applications (department_id, application_id, subtree, granted_by) VALUES (${department.id}, ${application}, true, ${L})`;
    await db().$executeRaw`INSERT INTO group_roles (group_id, role_id, granted_by) VALUES (${group}, ${role}, ${L}), (${group}, ${secondRole}, ${A})`;
    await db().$executeRaw`INSERT INTO group_applications (group_id, application_id, granted_by) VALUES (${group}, ${application}, ${L})`;
    await db().$executeRaw`UPDATE users SET state = 'archived' WHERE id = ${archived.id}`;

    await db().$executeRaw`
      INSERT INTO api_tokens (tenant_id, name, scopes, token_hash, hint, created_by, expires_at, revoked_at, revoked_by) VALUES
        (${tenant.id}, 'made by the leaver', '{scim}', ${unique("hash")}, 'a', ${L}, now() + interval '1 day', now(), ${A}),
        (${tenant.id}, 'revoked by the leaver', '{scim}', ${unique("hash")}, 'b', ${A}, now() + interval '1 day', now(), ${L})`;
    const leaversEndpoint = await createWebhookEndpointRow(tenant.id, "https://hooks.example.test/leaver");
    await createWebhookEndpointRow(tenant.id, "https://hooks.example.test/admin");
    await db().$executeRaw`UPDATE webhook_endpoints SET created_by = CASE WHEN id = ${leaversEndpoint.id} THEN ${L}::bigint ELSE ${A}::bigint END WHERE tenant_id = ${tenant.id}`;
    await db().$executeRaw`
      INSERT INTO import_mappings (tenant_id, name, mapping, header_fingerprint, columns, created_by) VALUES
        (${tenant.id}, 'leaver', '{}', 'f1', '[]', ${L}), (${tenant.id}, 'admin', '{}', 'f2', '[]', ${A})`;
    await db().$executeRaw`
      INSERT INTO member_imports (tenant_id, created_by, applied_by, file_name, format) VALUES
        (${tenant.id}, ${A}, ${L}, 'applied by the leaver.csv', 'csv'), (${tenant.id}, ${L}, ${A}, 'uploaded by the leaver.csv', 'csv')`;
    await db().$executeRaw`
      INSERT INTO application_client_secrets (tenant_id, application_id, secret_hash, hint, created_by) VALUES
        (${tenant.id}, ${application}, ${unique("secret")}, 'leaver', ${L}), (${tenant.id}, ${application}, ${unique("secret")}, 'admin', ${A})`;
    await db().$executeRaw`
      INSERT INTO scim_identities (user_id, tenant_id, user_name, manager_id) VALUES
        (${held.id}, ${tenant.id}, ${held.username}, ${L}), (${archived.id}, ${tenant.id}, ${archived.username}, ${A})`;

    const members = [held.id, archived.id];
    const itemIds = [role, secondRole, application];
    const before = await actorColumns(tenant.id, members, itemIds, department.id);
    expect(before.filter((row) => row.actor === L || row.second === L)).toHaveLength(17);

    await hardDeleteMember(db(), adminActor, { memberId: L.toString(), confirmUsername: leaver.username });

    // Every row stays, with the leaver's id gone and the admin's kept.
    const forget = (id: bigint | null) => (id === L ? null : id);
    expect(await actorColumns(tenant.id, members, itemIds, department.id)).toEqual(before.map((row) => ({ ...row, actor: forget(row.actor), second: forget(row.second) })));
    expect((await db().user.findUniqueOrThrow({ where: { id: archived.id }, select: { state: true } })).state).toBe("archived");
    // Only granted_by was let through: the archived member's grants stay read-only otherwise.
    await expect(db().$executeRaw`UPDATE member_roles SET granted_at = now() WHERE user_id = ${archived.id}`).rejects.toThrow(/member_archived/);
    // The department grants lost only their granter: what everyone holds is still what the grants give.
    expect(comparable(await storedEffectiveAccess(tenant.id))).toEqual(comparable(await effectiveAccessFromScratch(tenant.id)));
    const resource = userResource(await loadUserRow(db(), tenant.id, held.id.toString()), "https://tenure.example.test/scim/v2");
    expect(resource[ENTERPRISE_SCHEMA]).not.toHaveProperty("manager");
  });
});
