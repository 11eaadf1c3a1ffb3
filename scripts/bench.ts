import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { db, disconnectDatabase } from "@/server/db/client";
import { startEmbeddedPostgres } from "@/server/db/embedded-postgres";
import { prepareDatabase } from "@/server/db/prepare-database";
import { exportToEnvironment } from "@/server/env";
import { hashPassword, verifyPassword } from "@/server/auth/password";
import { checkSession } from "@/server/auth/sessions";
import { deleteExpiredSessions } from "@/server/auth/delete-expired-sessions";
import { encodeCursor } from "@/server/members/list-cursor";
import { listMembers } from "@/server/members/list-members";
import { listDepartmentTree } from "@/server/org/list-department-tree";
import type { TMemberListInput } from "@/server/members/schemas";
import { benchLifecycle } from "./bench-lifecycle";
import { benchImport } from "./bench-import";
import { benchSignIn } from "./bench-sign-in";
import { benchHttp } from "./bench-http";
import { benchAccess } from "./bench-access";
import { benchDirectory } from "./bench-directory";
import { benchWebhooks } from "./bench-webhooks";
import { benchProvisioning } from "./bench-provisioning";
import { benchOidc } from "./bench-oidc";
import { benchScim } from "./bench-scim";
import { benchErase } from "./bench-erase";
import { percentiles, timed, timeEach } from "./support/bench-timing";

// `npm run bench [-- N [IMPORT_ROWS]]`: figures for the hot paths at the scale we design for
// (one tenant of N members, default 1,000,000, in 100 departments under 10
// divisions), on a throw-away embedded PostgreSQL. Each directory query is
// shown beside the naive way (OFFSET, or a scan without the index) in the same
// run. It prints figures; it asserts nothing.

// `--http-only`: only the real-HTTP figures (header stalls, sign-in throughput), on a smaller directory.
const HTTP_ONLY = process.argv.includes("--http-only");
// `--access-only`: only the access model's figures (issue 12), on their own tenant.
const ACCESS_ONLY = process.argv.includes("--access-only");
// `--import-only`: only the import's figures (the bulk member write path), into a fresh tenant of an empty database.
const IMPORT_ONLY = process.argv.includes("--import-only");
class OnlyFiguresPrinted extends Error {}
// `--directory-only`: only the LDAP sync's figures (issue 13), against a real slapd (BENCH_DIRECTORY_ENTRIES, default 100,000).
const DIRECTORY_ONLY = process.argv.includes("--directory-only");
// `--webhooks-only`: only the webhook delivery figures (issue 15), on their own tenant (BENCH_WEBHOOKS events, default 5,000).
const WEBHOOKS_ONLY = process.argv.includes("--webhooks-only");
// `--provisioning-only`: only outbound SCIM's figures (issue 15): a bulk disable of BENCH_PROVISIONING_MEMBERS
// (default 10,000) provisioned members until the peer accepted every deactivation, and a reconciliation of
// BENCH_RECONCILE_ACCOUNTS (default 100,000) accounts with memory sampled.
const PROVISIONING_ONLY = process.argv.includes("--provisioning-only");
// `--oidc-only`: only the OpenID provider's figures (issue 14): token endpoint, back-channel logout latency, a bulk disable (BENCH_OIDC_BULK, default 10,000).
const OIDC_ONLY = process.argv.includes("--oidc-only");
// `--scim-only`: only the SCIM server's figures (issue 16), on their own tenant (BENCH_SCIM_MEMBERS, default 1,000,000).
const SCIM_ONLY = process.argv.includes("--scim-only");
// `--erase-only`: only the erasure figures (a batch of 100 and single erasures), on their own tenant (BENCH_MEMBERS, default 1,000,000).
const ERASE_ONLY = process.argv.includes("--erase-only");
const ARGS = process.argv.slice(2).filter((arg) => !arg.startsWith("--"));
const MEMBERS = Number(ARGS[0] ?? (HTTP_ONLY ? 10_000 : 1_000_000));
// `npm run bench -- N IMPORT_ROWS`, or `npm run bench -- --import-only IMPORT_ROWS`.
const IMPORT_ROWS = Number((IMPORT_ONLY ? ARGS[0] : ARGS[1]) ?? 100_000);
const SESSIONS = Math.min(MEMBERS, 200_000);
const SAMPLES = 200;

/** Runs a query with index scans switched off: what it costs without the index. */
async function withoutIndexes(sql: string, ...values: unknown[]): Promise<void> {
  await db().$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL enable_indexscan = off");
    await tx.$executeRawUnsafe("SET LOCAL enable_bitmapscan = off");
    await tx.$queryRawUnsafe(sql, ...values);
  });
}

const dir = await mkdtemp(path.join(os.tmpdir(), "tenure-bench-"));
// BENCH_PG_SETTINGS: extra server settings for profiling, space-separated (e.g. "shared_preload_libraries=pg_stat_statements");
// BENCH_PG_STATEMENTS=1 loads pg_stat_statements too, and the provisioning bench prints where the database's time went
// (BENCH_PG_STATEMENTS_TOP: how many statements, 12 by default).
const pgSettings = [
  ...(process.env.BENCH_PG_SETTINGS ?? "").split(" ").filter(Boolean),
  ...(process.env.BENCH_PG_STATEMENTS === "1" ? ["shared_preload_libraries=pg_stat_statements"] : []),
];
const cluster = await startEmbeddedPostgres({ dataDir: dir, ephemeral: true, settings: pgSettings });
try {
  exportToEnvironment({ DATABASE_URL: cluster.connectionString, NEXTAUTH_SECRET: "bench-only-secret-not-used-for-anything-real" });
  await prepareDatabase(cluster.connectionString);
  const tenant = await db().tenant.create({ data: { slug: "bench", name: "Bench" } });
  const hash = await hashPassword("bench password that is long");
  const t = tenant.id;
  if (ACCESS_ONLY) {
    await benchAccess(MEMBERS, hash);
    throw new OnlyFiguresPrinted();
  }
  if (IMPORT_ONLY) {
    await benchImport(IMPORT_ROWS);
    throw new OnlyFiguresPrinted();
  }
  if (DIRECTORY_ONLY) {
    await benchDirectory();
    throw new OnlyFiguresPrinted();
  }
  if (WEBHOOKS_ONLY) {
    await benchWebhooks();
    throw new OnlyFiguresPrinted();
  }
  if (PROVISIONING_ONLY) {
    await benchProvisioning();
    throw new OnlyFiguresPrinted();
  }
  if (OIDC_ONLY) {
    await benchOidc();
    throw new OnlyFiguresPrinted();
  }
  if (SCIM_ONLY) {
    await benchScim();
    throw new OnlyFiguresPrinted();
  }
  if (ERASE_ONLY) {
    await benchErase();
    throw new OnlyFiguresPrinted();
  }

  await timed(`insert ${MEMBERS.toLocaleString("en")} members (set-based)`, () =>
    db().$executeRaw`
      INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name, mobile, password_hash, created_at)
      SELECT ${t}, 'member' || n, 'member' || n || '@bench.test',
             (ARRAY['Ada','Grace','Alan','Linus','Barbara','Ken','Margaret','Dennis'])[1 + n % 8], 'Surname' || n,
             (ARRAY['Ada','Grace','Alan','Linus','Barbara','Ken','Margaret','Dennis'])[1 + n % 8] || ' Surname' || n,
             '+1555' || lpad(n::text, 8, '0'), ${hash}, now() - (n || ' seconds')::interval
      FROM generate_series(1, ${MEMBERS}) AS n`,
  );
  await timed("10 divisions × 10 departments, every member in one", async () => {
    await db().$executeRaw`INSERT INTO departments (tenant_id, name) SELECT ${t}, 'Division ' || n FROM generate_series(1, 10) n`;
    await db().$executeRaw`
      INSERT INTO departments (tenant_id, parent_id, name)
      SELECT ${t}, d.id, d.name || ' team ' || n FROM departments d CROSS JOIN generate_series(1, 10) n
      WHERE d.tenant_id = ${t} AND d.parent_id IS NULL AND d.kind = 'regular'`;
    await db().$executeRaw`
      WITH teams AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS slot FROM departments WHERE tenant_id = ${t} AND parent_id IS NOT NULL)
      INSERT INTO department_members (department_id, user_id)
      SELECT teams.id, u.id FROM users u JOIN teams ON teams.slot = u.id % 100 WHERE u.tenant_id = ${t}`;
  });
  await timed(`insert ${SESSIONS.toLocaleString("en")} sessions (half expired)`, () =>
    db().$executeRaw`
      INSERT INTO sessions (tenant_id, user_id, expires_at, last_seen_at)
      SELECT ${t}, id, CASE WHEN id % 2 = 0 THEN now() + interval '1 hour' ELSE now() - interval '1 hour' END, now()
      FROM users WHERE tenant_id = ${t} ORDER BY id LIMIT ${SESSIONS}`,
  );
  await timed("VACUUM ANALYZE", () => db().$executeRawUnsafe("VACUUM ANALYZE"));
  const httpLogins = Array.from({ length: Math.min(MEMBERS, 2_000) }, (_, index) => `member${index + 1}`);
  if (HTTP_ONLY) {
    await benchHttp(cluster.connectionString, "bench", httpLogins, "bench password that is long");
    process.exitCode = 0;
  } else {

  console.log("\nDirectory (Tenure's query vs the naive one):");
  const list = (input: TMemberListInput) => listMembers(db(), t, { limit: 50, ...input });
  const report = async (label: string, ours: () => Promise<unknown>, naive: () => Promise<unknown>, naiveSamples = 10) => {
    console.log(`  ${label.padEnd(44)} ours  ${percentiles(await timeEach(SAMPLES, ours))}`);
    console.log(`  ${"".padEnd(44)} naive ${percentiles(await timeEach(naiveSamples, naive))}`);
  };

  await report("first page, by name", () => list({}), () => db().$queryRaw`SELECT * FROM users WHERE tenant_id = ${t} ORDER BY lower(full_name), id OFFSET 0 LIMIT 50`);
  const middle = MEMBERS / 2;
  // A deep page: the keyset cursor of the row halfway down vs OFFSET to it.
  const halfway = await db().$queryRaw<{ created_at: Date; id: bigint }[]>`
    SELECT created_at, id FROM users WHERE tenant_id = ${t} ORDER BY created_at DESC, id DESC OFFSET ${middle} LIMIT 1`;
  const deep = encodeCursor("created", halfway[0]!.created_at, halfway[0]!.id);
  await report(
    `page ${(middle / 50).toLocaleString("en")} (50 a page), newest first`,
    () => list({ sort: "created", order: "desc", cursor: deep }),
    () => db().$queryRaw`SELECT * FROM users WHERE tenant_id = ${t} ORDER BY created_at DESC, id DESC OFFSET ${middle} LIMIT 50`,
  );
  await report(
    "search by name prefix (“gr”)",
    () => list({ search: "gr" }),
    () => withoutIndexes(`SELECT * FROM users WHERE tenant_id = $1 AND lower(full_name) LIKE 'gr%' ORDER BY lower(full_name), id LIMIT 50`, t),
  );
  await report(
    "search by fragment (“rname12345”)",
    () => list({ search: "rname12345" }),
    () => withoutIndexes(`SELECT * FROM users WHERE tenant_id = $1 AND full_name ILIKE '%rname12345%' ORDER BY lower(full_name), id LIMIT 50`, t),
  );
  const division = await db().department.findFirstOrThrow({ where: { tenantId: t, name: "Division 3" } });
  await report(
    "department subtree (a division, 10% of all)",
    () => list({ departmentId: division.id.toString() }),
    () =>
      db().$queryRaw`SELECT u.* FROM users u JOIN department_members dm ON dm.user_id = u.id JOIN departments d ON d.id = dm.department_id
        WHERE u.tenant_id = ${t} AND (d.id = ${division.id} OR d.parent_id = ${division.id}) ORDER BY lower(u.full_name), u.id OFFSET 0 LIMIT 50`,
  );

  // The Departments page: every count is the list's total for that department (hidden members excluded, each member once per subtree).
  console.log(`  ${"department tree with counts".padEnd(44)} ours  ${percentiles(await timeEach(20, () => listDepartmentTree(db(), t)))}`);

  console.log("\nSessions and sign-in:");
  const liveIds = (await db().$queryRaw<{ id: string }[]>`
    SELECT id::text FROM sessions WHERE expires_at > now() ORDER BY random() LIMIT ${SAMPLES}`).map((row) => row.id);
  console.log(`  session check (every request)               ${percentiles(await timeEach(liveIds.length, (i) => checkSession(db(), liveIds[i])))}`);
  const deleted = await timed("  expired-session sweep", () => deleteExpiredSessions(db()));
  console.log(`    deleted ${deleted.toLocaleString("en")} sessions`);
  const verifySamples = await timeEach(30, () => verifyPassword(hash, "bench password that is long"));
  const perVerify = verifySamples.reduce((sum, value) => sum + value, 0) / verifySamples.length;
  console.log(`  argon2id verify (m=19 MiB, t=2, p=1): ${perVerify.toFixed(1)} ms each, ~${Math.round(1000 / perVerify)} sign-ins/s per core`);

  await benchSignIn(t, "bench password that is long");
  await benchHttp(cluster.connectionString, "bench", httpLogins, "bench password that is long");
  await benchLifecycle(t);
  await benchImport(IMPORT_ROWS);
  await benchAccess(MEMBERS, hash);
  await benchDirectory();
  await benchWebhooks();
  await benchProvisioning();
  await benchOidc();
  await benchScim();
  }
} catch (error) {
  if (!(error instanceof OnlyFiguresPrinted)) throw error;
} finally {
  await disconnectDatabase();
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
}
