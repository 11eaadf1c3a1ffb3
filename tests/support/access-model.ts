import { db } from "@/server/db/client";

// A from-scratch model of effective access, computed in TypeScript from the
// raw grant tables and the tree's parent links (never from the closure, the
// paths view or member_access): what the triggers must always agree with.

export type TEffective = Map<string, Set<string>>; // member id → {"1:roleId", "2:appId", "3:policyId"}

export async function effectiveAccessFromScratch(tenantId: bigint): Promise<TEffective> {
  const [members, departments, memberships, memberRoles, memberApps, memberPolicies, memberGroups, groupRoles, groupApps, departmentRoles, departmentApps, rolePolicies] =
    await Promise.all([
      db().user.findMany({ where: { tenantId }, select: { id: true, state: true } }),
      db().department.findMany({ where: { tenantId }, select: { id: true, parentId: true } }),
      db().departmentMember.findMany({ where: { user: { tenantId } } }),
      db().memberRole.findMany({ where: { user: { tenantId } } }),
      db().memberApplication.findMany({ where: { user: { tenantId } } }),
      db().memberPolicy.findMany({ where: { user: { tenantId } } }),
      db().memberGroup.findMany({ where: { user: { tenantId } } }),
      db().groupRole.findMany({ where: { group: { tenantId } } }),
      db().groupApplication.findMany({ where: { group: { tenantId } } }),
      db().departmentRole.findMany({ where: { department: { tenantId } } }),
      db().departmentApplication.findMany({ where: { department: { tenantId } } }),
      db().rolePolicy.findMany({ where: { role: { tenantId } } }),
    ]);
  const parentOf = new Map(departments.map((department) => [department.id, department.parentId]));
  const ancestorsOf = (id: bigint): bigint[] => {
    const chain: bigint[] = [];
    for (let at = parentOf.get(id) ?? null; at !== null; at = parentOf.get(at) ?? null) chain.push(at);
    return chain;
  };
  const result: TEffective = new Map();
  for (const member of members) {
    const held = new Set<string>();
    result.set(member.id.toString(), held);
    if (member.state !== "active") continue;
    const roles = new Set(memberRoles.filter((row) => row.userId === member.id).map((row) => row.roleId));
    const apps = new Set(memberApps.filter((row) => row.userId === member.id).map((row) => row.applicationId));
    const groups = memberGroups.filter((row) => row.userId === member.id).map((row) => row.groupId);
    for (const row of groupRoles) if (groups.includes(row.groupId)) roles.add(row.roleId);
    for (const row of groupApps) if (groups.includes(row.groupId)) apps.add(row.applicationId);
    for (const membership of memberships.filter((row) => row.userId === member.id)) {
      const own = membership.departmentId;
      const above = ancestorsOf(own);
      for (const row of departmentRoles) if (row.departmentId === own || (row.subtree && above.includes(row.departmentId))) roles.add(row.roleId);
      for (const row of departmentApps) if (row.departmentId === own || (row.subtree && above.includes(row.departmentId))) apps.add(row.applicationId);
    }
    const policies = new Set(memberPolicies.filter((row) => row.userId === member.id).map((row) => row.policyId));
    for (const row of rolePolicies) if (roles.has(row.roleId)) policies.add(row.policyId);
    for (const id of roles) held.add(`1:${id}`);
    for (const id of apps) held.add(`2:${id}`);
    for (const id of policies) held.add(`3:${id}`);
  }
  return result;
}

export async function storedEffectiveAccess(tenantId: bigint): Promise<TEffective> {
  const members = await db().user.findMany({ where: { tenantId }, select: { id: true } });
  const rows = await db().$queryRaw<{ user_id: bigint; kind: number; item_id: bigint }[]>`
    SELECT ma.user_id, ma.kind, ma.item_id FROM member_access ma JOIN users u ON u.id = ma.user_id WHERE u.tenant_id = ${tenantId}`;
  const result: TEffective = new Map(members.map((member) => [member.id.toString(), new Set<string>()]));
  for (const row of rows) result.get(row.user_id.toString())!.add(`${row.kind}:${row.item_id}`);
  return result;
}

/** What one member effectively holds (the member_access view), as "kind:item" in kind and id order. */
export async function storedHoldings(memberId: bigint): Promise<string[]> {
  const rows = await db().$queryRaw<{ kind: number; item_id: bigint }[]>`
    SELECT kind, item_id FROM member_access WHERE user_id = ${memberId} ORDER BY kind, item_id`;
  return rows.map((row) => `${row.kind}:${row.item_id}`);
}

/** How many (member, item) pairs the organisation's members effectively hold. */
export async function storedHoldingsCount(tenantId: bigint, only?: { memberId: bigint; kind: number; itemId: bigint }): Promise<number> {
  const [row] = only
    ? await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM member_access WHERE user_id = ${only.memberId} AND kind = ${only.kind} AND item_id = ${only.itemId}`
    : await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM member_access ma JOIN users u ON u.id = ma.user_id WHERE u.tenant_id = ${tenantId}`;
  return row?.n ?? 0;
}

/** Sorted, comparable form for expect().toEqual. */
export function comparable(access: TEffective): Record<string, string[]> {
  return Object.fromEntries([...access.entries()].sort().map(([member, held]) => [member, [...held].sort()]));
}

/** The heatmap's counts from scratch (direct members who can sign in, per permission) against the stored deltas' sums. */
export async function heatmapCountsFromScratch(tenantId: bigint) {
  const access = await effectiveAccessFromScratch(tenantId);
  const memberships = await db().departmentMember.findMany({ where: { user: { tenantId } }, include: { user: { select: { state: true } } } });
  const counts: Record<string, number> = {};
  for (const membership of memberships) {
    if (membership.user.state === "active") counts[`${membership.departmentId}:0`] = (counts[`${membership.departmentId}:0`] ?? 0) + 1;
    for (const item of access.get(membership.userId.toString()) ?? []) {
      if (!item.startsWith("3:")) continue;
      const key = `${membership.departmentId}:${item.slice(2)}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
  }
  return counts;
}

export async function storedHeatmapCounts(tenantId: bigint) {
  const rows = await db().$queryRaw<{ department_id: bigint; policy_id: bigint; holders: number }[]>`
    SELECT c.department_id, c.policy_id, sum(c.holders)::int AS holders FROM department_access_counts c
    JOIN departments d ON d.id = c.department_id AND d.tenant_id = ${tenantId}
    GROUP BY 1, 2 HAVING sum(c.holders) <> 0`;
  return Object.fromEntries(rows.map((row) => [`${row.department_id}:${row.policy_id}`, row.holders]));
}
