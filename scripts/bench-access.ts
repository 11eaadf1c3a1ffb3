import { performance } from "node:perf_hooks";
import { db } from "@/server/db/client";
import { can } from "@/server/access/can";
import { whoHas } from "@/server/access/who-has";
import { listMemberAccess } from "@/server/access/list-member-access";
import { moveDepartment, previewDepartmentMove } from "@/server/org/manage-departments";
import { loadInheritanceMatrix } from "@/server/access/inheritance-matrix";
import { loadDepartmentHeatmap } from "@/server/heatmap/load-department-heatmap";
import { percentiles, timed, timeEach } from "./support/bench-timing";

// Access-model figures for `npm run bench` (issue 12), each beside the naive
// query: one tenant of N members in 1,000 departments six levels deep, 500
// roles carrying 2,000 policies, roles granted to every department (the top
// two levels' to their whole subtree), 50 groups, some direct grants. Seeded
// set-based through the real triggers, so the seed time is itself a figure.

const DEPARTMENTS = 1_000;
const ROLES = 500;
const POLICIES = 2_000;
const GROUPS = 50;
const SAMPLES = 200;
// Level sizes of the six-level tree: 4, 12, 36, 108, 324, then the rest (516).
const LEVELS = [4, 12, 36, 108, 324, DEPARTMENTS - 484];

export async function seedAccess(members: number, passwordHash: string) {
  const tenant = await db().tenant.create({ data: { slug: "access-bench", name: "Access bench" } });
  const t = tenant.id;
  await timed(`access: ${members.toLocaleString("en")} members`, () =>
    db().$executeRaw`
      INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, password_hash)
      SELECT ${t}, 'a' || n, 'a' || n || '@access.test', 'Member', 'N' || n, 'Member N' || n, ${passwordHash}
      FROM generate_series(1, ${members}) AS n`,
  );
  await timed(`access: ${DEPARTMENTS} departments six levels deep, ${ROLES} roles, ${POLICIES} policies, grants`, async () => {
    let parents: bigint[] = [];
    for (const [level, size] of LEVELS.entries()) {
      const rows = await db().$queryRaw<{ id: bigint }[]>`
        INSERT INTO departments (tenant_id, parent_id, name)
        SELECT ${t}, (${parents}::bigint[])[1 + (n % greatest(cardinality(${parents}::bigint[]), 1))], 'L' || ${level + 1} || ' dept ' || n
        FROM generate_series(0, ${size - 1}) AS n
        RETURNING id`;
      parents = rows.map((row) => row.id);
    }
    await db().$executeRaw`INSERT INTO roles (tenant_id, name) SELECT ${t}, 'Role ' || n FROM generate_series(0, ${ROLES - 1}) n`;
    await db().$executeRaw`INSERT INTO policies (tenant_id, name, permission) SELECT ${t}, 'Policy ' || n, 'res' || (n / 4) || ':act' || (n % 4) FROM generate_series(0, ${POLICIES - 1}) n`;
    await db().$executeRaw`
      INSERT INTO role_policies (role_id, policy_id)
      SELECT r.id, p.id FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM roles WHERE tenant_id = ${t}) r
      JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM policies WHERE tenant_id = ${t}) p ON p.slot / 4 = r.slot`;
    await db().$executeRaw`INSERT INTO applications (tenant_id, name) SELECT ${t}, 'App ' || n FROM generate_series(0, 49) n`;
    await db().$executeRaw`INSERT INTO groups (tenant_id, name) SELECT ${t}, 'Group ' || n FROM generate_series(0, ${GROUPS - 1}) n`;
    // Each department is granted one role; the top two levels' reach their whole subtree.
    await db().$executeRaw`
      WITH d AS (SELECT d.id, row_number() OVER (ORDER BY d.id) - 1 AS slot, (SELECT max(depth) FROM department_closure c WHERE c.descendant_id = d.id) AS depth
                 FROM departments d WHERE d.tenant_id = ${t} AND d.kind = 'regular'),
           r AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM roles WHERE tenant_id = ${t})
      INSERT INTO department_roles (department_id, role_id, subtree)
      SELECT d.id, r.id, d.depth < 2 FROM d JOIN r ON r.slot = d.slot % ${ROLES}`;
    await db().$executeRaw`
      WITH d AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM departments WHERE tenant_id = ${t} AND kind = 'regular' AND parent_id IS NULL),
           a AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM applications WHERE tenant_id = ${t})
      INSERT INTO department_applications (department_id, application_id, subtree) SELECT d.id, a.id, true FROM d JOIN a ON a.slot = d.slot`;
    await db().$executeRaw`
      WITH g AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM groups WHERE tenant_id = ${t}),
           r AS (SELECT id, row_number() OVER (ORDER BY id DESC) - 1 AS slot FROM roles WHERE tenant_id = ${t})
      INSERT INTO group_roles (group_id, role_id) SELECT g.id, r.id FROM g JOIN r ON r.slot / 2 = g.slot`;
  });
  const batch = 100_000;
  await timed(`access: every member into a department, through the triggers (batches of ${batch.toLocaleString("en")})`, async () => {
    const [range] = await db().$queryRaw<{ low: bigint; high: bigint }[]>`SELECT min(id) AS low, max(id) AS high FROM users WHERE tenant_id = ${t}`;
    for (let low = range!.low; low <= range!.high; low += BigInt(batch)) {
      await db().$executeRaw`
        WITH d AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM departments WHERE tenant_id = ${t} AND kind = 'regular')
        INSERT INTO department_members (department_id, user_id)
        SELECT d.id, u.id FROM users u JOIN d ON d.slot = u.id % ${DEPARTMENTS}
        WHERE u.tenant_id = ${t} AND u.id >= ${low} AND u.id < ${low + BigInt(batch)}`;
    }
  });
  await timed("access: 10% of members in a group, 1% with a direct policy", async () => {
    await db().$executeRaw`
      WITH g AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM groups WHERE tenant_id = ${t})
      INSERT INTO member_groups (user_id, group_id) SELECT u.id, g.id FROM users u JOIN g ON g.slot = (u.id / 10) % ${GROUPS}
      WHERE u.tenant_id = ${t} AND u.id % 10 = 0`;
    await db().$executeRaw`
      WITH p AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM policies WHERE tenant_id = ${t})
      INSERT INTO member_policies (user_id, policy_id) SELECT u.id, p.id FROM users u JOIN p ON p.slot = u.id % ${POLICIES}
      WHERE u.tenant_id = ${t} AND u.id % 100 = 7`;
  });
  await timed("access: fold the heatmap's deltas, VACUUM ANALYZE", async () => {
    await db().$queryRaw`SELECT tenure_compact_department_access_counts()`;
    await db().$executeRawUnsafe("VACUUM ANALYZE");
  });
  const [size] = await db().$queryRaw<{ rows: bigint; profiles: bigint }[]>`
    SELECT count(*) AS rows, count(DISTINCT m.profile_id) AS profiles
    FROM member_access_profiles m JOIN access_profile_items i ON i.profile_id = m.profile_id JOIN users u ON u.id = m.user_id WHERE u.tenant_id = ${t}`;
  console.log(
    `access: ${Number(size!.rows).toLocaleString("en")} effective items (${(Number(size!.rows) / members).toFixed(1)} per member) in ${Number(size!.profiles).toLocaleString("en")} shared access profiles`,
  );
  return t;
}

/** What the last move recorded in its audit events: gains and losses over every member.access_changed event it wrote. */
async function appliedTotals(tenantId: bigint, after: bigint) {
  const [row] = await db().$queryRaw<{ gained: number; lost: number }[]>`
    SELECT coalesce(sum(jsonb_array_length(changes -> 'access' -> 'after')), 0)::int AS gained,
           coalesce(sum(jsonb_array_length(changes -> 'access' -> 'before')), 0)::int AS lost
    FROM audit_events WHERE tenant_id = ${tenantId} AND action = 'member.access_changed' AND id > ${after}`;
  return { gained: row?.gained ?? 0, lost: row?.lost ?? 0 };
}

export async function benchAccess(members: number, passwordHash: string): Promise<void> {
  console.log("\nAccess model (issue 12):");
  const t = await seedAccess(members, passwordHash);
  const ids = (await db().$queryRaw<{ id: bigint }[]>`SELECT id FROM users WHERE tenant_id = ${t} ORDER BY random() LIMIT ${SAMPLES}`).map((row) => row.id);
  const permissions = (await db().$queryRaw<{ permission: string }[]>`SELECT permission FROM policies WHERE tenant_id = ${t} ORDER BY random() LIMIT ${SAMPLES}`).map((row) => row.permission);
  const report = (label: string, samples: number[]) => console.log(`${label.padEnd(58)} ${percentiles(samples)}`);

  report("effective access of one member, with every path", await timeEach(SAMPLES, (i) => listMemberAccess(db(), t, ids[i]!)));
  report("  naive: the paths view, unindexed by member", await timeEach(10, async (i) => {
    await db().$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_indexscan = off");
      await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
      await tx.$queryRaw`SELECT * FROM member_access_paths WHERE user_id = ${ids[i]!}`;
    });
  }));
  report("can(member, permission)", await timeEach(SAMPLES * 5, (i) => can(db(), t, ids[i % SAMPLES]!, permissions[i % SAMPLES]!)));
  report("  naive: recompute from every path per call", await timeEach(SAMPLES, (i) =>
    db().$queryRaw`
      SELECT EXISTS (SELECT 1 FROM member_access_paths p JOIN policies pol ON pol.id = p.item_id AND p.kind = 3
                     JOIN users u ON u.id = p.user_id AND u.state = 'active'
                     WHERE p.user_id = ${ids[i]!} AND pol.tenant_id = ${t} AND pol.permission = ${permissions[i]!})`));
  report("who has X: first page of 50, with paths", await timeEach(SAMPLES, (i) => whoHas(db(), t, { subject: { kind: "permission", permission: permissions[i]! } })));
  report("  naive: DISTINCT over the paths view, then the page", await timeEach(5, (i) =>
    db().$queryRaw`
      SELECT DISTINCT p.user_id FROM member_access_paths p JOIN policies pol ON pol.id = p.item_id AND p.kind = 3
      JOIN users u ON u.id = p.user_id AND u.state = 'active' AND u.tenant_id = ${t}
      WHERE pol.tenant_id = ${t} AND pol.permission = ${permissions[i]!} ORDER BY p.user_id LIMIT 51`));
  report("heatmap: every department × permission (loadDepartmentHeatmap)", await timeEach(10, () => loadDepartmentHeatmap(db(), t)));
  report("  naive: counted live from effective access", await timeEach(2, () =>
    db().$queryRaw`
      SELECT dm.department_id, ma.item_id, count(*) FROM member_access ma JOIN department_members dm ON dm.user_id = ma.user_id
      JOIN departments d ON d.id = dm.department_id AND d.tenant_id = ${t} WHERE ma.kind = 3 GROUP BY 1, 2`));

  report("inheritance matrix: 1,000 departments × 500 roles", await timeEach(10, () => loadInheritanceMatrix(db(), t)));

  // A department of about 50,000 members: the tree's third-level departments hold ~1/36 of the members
  // each, so one of them first takes in enough siblings (untimed), then moves under another top-level one.
  const admin = await db().user.update({ where: { id: ids[0]! }, data: { sysAdmin: 2 } });
  const actor = { tenantId: t, memberId: admin.id, sysAdmin: 2 };
  const subtrees = await db().$queryRaw<{ id: bigint; members: number; root: bigint }[]>`
    SELECT c.ancestor_id AS id, count(DISTINCT dm.user_id)::int AS members,
           (SELECT r.ancestor_id FROM department_closure r WHERE r.descendant_id = c.ancestor_id ORDER BY r.depth DESC LIMIT 1) AS root
    FROM department_closure c
    JOIN department_closure level ON level.descendant_id = c.ancestor_id
    JOIN department_members dm ON dm.department_id = c.descendant_id
    JOIN departments d ON d.id = c.ancestor_id AND d.tenant_id = ${t}
    GROUP BY c.ancestor_id HAVING max(level.depth) = 2 ORDER BY c.ancestor_id`;
  const [moving, ...siblings] = subtrees;
  // The figure is 50,000 of 1,000,000 members; a smaller bench keeps the proportion.
  const wanted = Math.round((50_000 * members) / 1_000_000);
  let reached = moving!.members;
  for (const sibling of siblings) {
    if (reached >= wanted) break;
    await moveDepartment(db(), actor, { departmentId: sibling.id.toString(), newParentId: moving!.id.toString() });
    reached += sibling.members;
  }
  const [target] = await db().$queryRaw<{ id: bigint }[]>`
    SELECT id FROM departments WHERE tenant_id = ${t} AND parent_id IS NULL AND kind = 'regular' AND id <> ${moving!.root} ORDER BY id LIMIT 1`;
  const input = { departmentId: moving!.id.toString(), newParentId: target!.id.toString() };
  const [mark] = await db().$queryRaw<{ id: bigint }[]>`SELECT coalesce(max(id), 0) AS id FROM audit_events`;
  // The console's own path: the preview procedure's service, then the move (both run the same apply step).
  const previewStart = performance.now();
  const preview = { changes: await previewDepartmentMove(db(), actor, input) };
  const previewMs = performance.now() - previewStart;
  const applyStart = performance.now();
  await moveDepartment(db(), actor, input);
  const applyMs = performance.now() - applyStart;
  const applied = { changes: { totals: await appliedTotals(t, mark!.id) } };
  console.log(
    `move a department of ${reached.toLocaleString("en")} members: preview ${(previewMs / 1000).toFixed(1)} s (${preview.changes.affected.toLocaleString("en")} members change, ` +
      `${preview.changes.totals.gained.toLocaleString("en")} gains, ${preview.changes.totals.lost.toLocaleString("en")} losses) · apply ${(applyMs / 1000).toFixed(1)} s · ` +
      `together ${((previewMs + applyMs) / 1000).toFixed(1)} s · preview = apply: ${JSON.stringify(preview.changes.totals) === JSON.stringify(applied.changes.totals)}`,
  );
}
