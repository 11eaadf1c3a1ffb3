import type { TDatabase } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { stateAllowsSignIn } from "@/server/shared/member-states";
import { accessPathsOf, describeAccessPath } from "@/server/access/access-paths";
import type { TEffectiveKind } from "@/server/access-changes/access-changes";

export type TEffectiveItem = { kind: TEffectiveKind; id: string; name: string; paths: string[] };

type TGrant = { id: string; name: string; grantedAt: string; permission?: string };

/**
 * What a member holds: their own grants (roles, groups, applications, direct
 * policies), and their effective access (every role, application and
 * permission, direct or inherited from groups and departments) each with its
 * paths in words. Effective access counts only while the member can sign in.
 */
export async function listMemberAccess(db: TDatabase, tenantId: bigint, memberId: bigint) {
  const [row] = await db.$queryRaw<{ roles: TGrant[]; groups: TGrant[]; applications: TGrant[]; policies: TGrant[]; state: string }[]>`
    SELECT
      u.state,
      coalesce((SELECT json_agg(json_build_object('id', r.id::text, 'name', r.name, 'grantedAt', g.granted_at) ORDER BY lower(r.name))
                FROM member_roles g JOIN roles r ON r.id = g.role_id WHERE g.user_id = u.id), '[]') AS roles,
      coalesce((SELECT json_agg(json_build_object('id', x.id::text, 'name', x.name, 'grantedAt', g.granted_at) ORDER BY lower(x.name))
                FROM member_groups g JOIN groups x ON x.id = g.group_id WHERE g.user_id = u.id), '[]') AS groups,
      coalesce((SELECT json_agg(json_build_object('id', a.id::text, 'name', a.name, 'grantedAt', g.granted_at) ORDER BY lower(a.name))
                FROM member_applications g JOIN applications a ON a.id = g.application_id WHERE g.user_id = u.id), '[]') AS applications,
      coalesce((SELECT json_agg(json_build_object('id', p.id::text, 'name', p.name, 'permission', p.permission, 'grantedAt', g.granted_at) ORDER BY p.permission)
                FROM member_policies g JOIN policies p ON p.id = g.policy_id WHERE g.user_id = u.id), '[]') AS policies
    FROM users u WHERE u.id = ${memberId} AND u.tenant_id = ${tenantId}`;
  if (!row) throw new NotFoundError("Member not found");
  const effective: TEffectiveItem[] = [];
  for (const path of await accessPathsOf(db, tenantId, [memberId])) {
    const last = effective.at(-1);
    const description = describeAccessPath(path);
    if (last && last.kind === path.kind && last.id === path.itemId) last.paths.push(description);
    else effective.push({ kind: path.kind, id: path.itemId, name: path.name, paths: [description] });
  }
  // Every permission the paths give, inherited ones included (they count only while the member can sign in).
  const permissions = [...new Set(effective.filter((item) => item.kind === "permission").map((item) => item.name))].sort();
  const { state, ...own } = row;
  return { ...own, permissions, effective, effectiveCounts: stateAllowsSignIn(state) };
}
