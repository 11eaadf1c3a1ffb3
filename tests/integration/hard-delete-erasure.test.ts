import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GET as exportGet } from "@/app/api/members/export/route";
import { requestPasswordReset } from "@/server/auth/forgot-password";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { markSteppedUp } from "@/server/auth/step-up";
import { db } from "@/server/db/client";
import { hardDeleteMember } from "@/server/lifecycle/hard-delete-members";
import { getMember } from "@/server/members/get-member";
import { updateMember } from "@/server/members/update-member";
import { createMember, createTenant, TEST_PASSWORD, uniqueMobile } from "../support/factories";
import { adminOf, csv, runDueJobs, upload } from "./member-import-helpers";

// After a hard delete, no row anywhere may hold the member's identifiers or
// addresses: the test lives a realistic history (sign-ins with every
// identifier and mobile format, renames, a reset request, a lockout, an
// import, an export searching for them), erases the member, then scans every
// text and JSON column of every table of the database.

type TColumn = { table_schema: string; table_name: string; column_name: string };

/** Every text-like or JSON column of every table, ours and graphile-worker's. */
async function textColumns(): Promise<TColumn[]> {
  return db().$queryRaw<TColumn[]>`
    SELECT c.table_schema, c.table_name, c.column_name
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema NOT IN ('pg_catalog', 'information_schema')
      AND (c.data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'inet', 'ARRAY') OR c.udt_name = 'citext')`;
}

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Where each needle still appears: "schema.table.column: needle". */
async function leftovers(needles: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const column of await textColumns()) {
    const rows = await db().$queryRawUnsafe<{ needle: string }[]>(
      `SELECT DISTINCT n.needle FROM ${quote(column.table_schema)}.${quote(column.table_name)} x, unnest($1::text[]) AS n(needle)
       WHERE strpos(lower(x.${quote(column.column_name)}::text), lower(n.needle)) > 0`,
      needles,
    );
    found.push(...rows.map((row) => `${column.table_schema}.${column.table_name}.${column.column_name}: ${row.needle}`));
  }
  return found;
}

/** "+447812345678" as a UK member types it: "07812 345678". */
const nationalForm = (mobile: string) => `0${mobile.slice(3, 7)} ${mobile.slice(7)}`;

describe("hard delete", () => {
  it("leaves no row anywhere holding the member's usernames, emails, mobiles, addresses or browsers", { timeout: 120_000 }, async () => {
    const tenant = await createTenant();
    const tag = randomUUID().slice(0, 8);
    const { member: admin, cookie, caller } = await adminOf(tenant.id);
    const adminSession = await db().session.findFirstOrThrow({ where: { userId: admin.id }, select: { id: true } });
    await markSteppedUp(db(), adminSession.id);
    const adminActor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin, sessionId: adminSession.id, ipAddress: "198.51.100.1", userAgent: "AdminBrowser/1" };
    // Someone else in the organisation, whose rows must stay.
    const bystander = await createMember(tenant.id);

    const old = { username: `erin-${tag}`, email: `erin.${tag}@old.test`, mobile: uniqueMobile() };
    const renamed = { username: `erin-new-${tag}`, email: `erin.${tag}@new.test`, mobile: uniqueMobile() };
    const member = await createMember(tenant.id, old);
    const client = { ipAddress: "203.0.113.77", userAgent: `ErinBrowser/9.9 (${tag})` };
    const signIn = (login: string, password: string, now?: Date) =>
      signInWithPassword(db(), { organisation: tenant.slug, login, password }, client, now).catch((error: unknown) => error);

    // Sign-ins with each identifier and the mobile in another format.
    await signIn(old.username, TEST_PASSWORD);
    await signIn(nationalForm(old.mobile), TEST_PASSWORD);
    await signIn(old.email, "not the password at all");
    // Under a mistyped organisation: the attempt belongs to no organisation.
    await signInWithPassword(db(), { organisation: `no-such-${tag}`, login: old.email, password: TEST_PASSWORD }, client).catch(() => undefined);
    await requestPasswordReset(db(), { organisation: tenant.slug, login: old.email }, client);

    // An import that updates the member (a dry run, then applied by the real job).
    const dryRun = await upload(cookie, csv([["username", "firstName", "lastName", "email", "mobile", "country", "title"], [old.username, "Erin", "Imported", old.email, old.mobile, "GB", "Analyst"]]));
    expect(dryRun.status).toBe(200);
    await caller.imports.start({ importId: dryRun.summary.id });
    await runDueJobs();

    // Renamed: username, email and mobile all change.
    const current = await getMember(db(), tenant.id, member.id);
    await updateMember(db(), adminActor, {
      memberId: member.id.toString(),
      expectedLastModifiedDate: current.updatedAt,
      firstName: "Erin",
      lastName: "Imported",
      username: renamed.username,
      email: renamed.email,
      mobile: renamed.mobile,
      country: "GB",
      title: "Analyst",
      role: "member",
    });

    // Sign-ins typed with the former identifiers (they match nobody now), then a throttle by wrong passwords.
    await signIn(old.username, TEST_PASSWORD);
    await signIn(nationalForm(old.mobile), TEST_PASSWORD);
    await signIn(`00${old.mobile.slice(1, 3)} (0)${old.mobile.slice(3)}`, TEST_PASSWORD);
    await signIn(old.email, TEST_PASSWORD);
    const start = Date.now() - 30 * 60_000;
    for (let attempt = 0; attempt < 12; attempt++) await signIn(renamed.username, "wrong password, again", new Date(start + attempt * 61_000));
    // Failed sign-ins throttle (a row in the login history with its end), they do not lock the member.
    expect(await db().loginAttempt.count({ where: { userId: member.id, lockoutUntil: { not: null } } })).toBeGreaterThan(0);

    // An export that searched for the member.
    const exported = await exportGet(new Request(`http://localhost:3000/api/members/export?format=csv&q=${encodeURIComponent(renamed.email)}`, { headers: { cookie } }));
    expect(await exported.text()).toContain(renamed.email);

    const needles = [old.username, old.email, old.mobile, old.mobile.slice(1), old.mobile.slice(3), nationalForm(old.mobile), renamed.username, renamed.email, renamed.mobile, renamed.mobile.slice(1), client.ipAddress, client.userAgent];
    // The scan sees the history before the erasure (it is not vacuous).
    expect((await leftovers(needles)).length).toBeGreaterThan(10);

    await hardDeleteMember(db(), adminActor, { memberId: member.id.toString(), confirmUsername: renamed.username });

    expect(await leftovers(needles)).toEqual([]);
    // Everyone else's rows stay.
    expect(await leftovers([bystander.username, admin.username, adminActor.ipAddress])).not.toEqual([]);
  });

  it("clears the erased member's id from who created and last changed other members, archived ones included, and nobody else's", async () => {
    const tenant = await createTenant();
    const { member: admin } = await adminOf(tenant.id);
    const adminSession = await db().session.findFirstOrThrow({ where: { userId: admin.id }, select: { id: true } });
    await markSteppedUp(db(), adminSession.id);
    const adminActor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin, sessionId: adminSession.id };
    const leaver = await createMember(tenant.id, { role: "admin" });
    const made = await createMember(tenant.id);
    const archived = await createMember(tenant.id, { state: "archived" });
    const others = await createMember(tenant.id);
    // Raw: Prisma's @updatedAt would touch the archived (read-only) row.
    await db().$executeRaw`UPDATE users SET created_by = ${leaver.id}, last_modified_by = ${leaver.id} WHERE id IN (${made.id}, ${archived.id})`;
    await db().$executeRaw`UPDATE users SET created_by = ${admin.id}, last_modified_by = ${leaver.id} WHERE id = ${others.id}`;

    await hardDeleteMember(db(), adminActor, { memberId: leaver.id.toString(), confirmUsername: leaver.username });

    const after = await db().user.findMany({ where: { id: { in: [made.id, archived.id, others.id] } }, orderBy: { id: "asc" }, select: { id: true, state: true, createdBy: true, lastModifiedBy: true } });
    expect(after).toEqual([
      { id: made.id, state: made.state, createdBy: null, lastModifiedBy: null },
      { id: archived.id, state: "archived", createdBy: null, lastModifiedBy: null },
      { id: others.id, state: others.state, createdBy: admin.id, lastModifiedBy: null },
    ]);
  });
});
