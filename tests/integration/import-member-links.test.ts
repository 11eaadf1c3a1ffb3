import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { applyImport } from "@/server/imports/apply-import";
import { createMember, createTenant } from "../support/factories";
import { HEADER, adminOf, csv, memberRow, membersOf, reportRows, report, runDueJobs, upload } from "./member-import-helpers";

// The dry run links each row to the member its username matched, and the apply
// probes only those members (by id): what that means when the directory
// changes between the two, and for imports staged before the links existed.

const stagedLinks = async (importId: string) =>
  (
    await db().memberImportRow.findMany({ where: { importId: BigInt(importId) }, orderBy: { rowNumber: "asc" }, select: { rowNumber: true, memberId: true } })
  ).map((row) => [row.rowNumber, row.memberId]);

describe("rows linked to members at the dry run", () => {
  it("links a row to the member whose username it names (in any case), and leaves new rows unlinked", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const existing = await createMember(tenant.id, { username: "Known", email: "known@import.test" });
    const { summary } = await upload(cookie, csv([HEADER, memberRow("known", 1), memberRow("fresh", 2)]));
    expect(summary).toMatchObject({ status: "validated", validRows: 2 });
    expect(await stagedLinks(summary.id)).toEqual([
      [1, existing.id],
      [2, null],
    ]);
  });

  it("never links a row to another organisation's member of the same username: the apply creates the member here, and leaves theirs alone", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const theirs = await createMember(other.id, { username: "shared", email: "shared@other.test" });
    const before = await db().user.findUniqueOrThrow({ where: { id: theirs.id } });
    const { summary } = await upload(cookie, csv([HEADER, memberRow("shared", 1)]));
    expect(await stagedLinks(summary.id)).toEqual([[1, null]]);
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ status: "completed", createdCount: 1, updatedCount: 0 });
    expect((await membersOf(tenant.id)).filter((member) => member.username === "shared").map((member) => member.email)).toEqual(["shared@import.test"]);
    expect(await db().user.findUniqueOrThrow({ where: { id: theirs.id } })).toEqual(before);
  });

  it("a new row whose username a member took after the dry run fails with why, and that member is left as they were", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const { summary } = await upload(cookie, csv([HEADER, memberRow("first", 1), memberRow("late", 2), memberRow("third", 3)]));
    const quick = await createMember(tenant.id, { username: "LATE", email: "quick@else.test" });
    const record = { username: true, email: true, firstName: true, lastName: true, mobile: true, updatedAt: true } as const;
    const before = await db().user.findUniqueOrThrow({ where: { id: quick.id }, select: record });
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    const done = await caller.imports.get({ importId: summary.id });
    expect(done).toMatchObject({ status: "completed", createdCount: 2, updatedCount: 0, failedCount: 1 });
    expect(done.firstErrors.map((error) => [error.rowNumber, error.message])).toEqual([[2, "This username, email or mobile was taken by another member after the dry run"]]);
    expect(await db().user.findUniqueOrThrow({ where: { id: quick.id }, select: record })).toEqual(before);
    expect(reportRows((await report(cookie, summary.id)).text).map((row) => row[2])).toEqual(["created", "failed", "created"]);
  });

  it("a linked member renamed after the dry run keeps their new name, and the row creates the member it names", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const renamed = await createMember(tenant.id, { username: "bob", email: "bob@old.test" });
    const { summary } = await upload(cookie, csv([HEADER, memberRow("bob", 1)]));
    expect(await stagedLinks(summary.id)).toEqual([[1, renamed.id]]);
    await db().user.update({ where: { id: renamed.id }, data: { username: "robert" } });
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ status: "completed", createdCount: 1, updatedCount: 0, failedCount: 0 });
    const members = (await membersOf(tenant.id)).filter((member) => ["bob", "robert"].includes(member.username));
    expect(members.map((member) => [member.username, member.email])).toEqual([
      ["robert", "bob@old.test"],
      ["bob", "bob@import.test"],
    ]);
    // The row now names the member it created.
    const created = members.find((member) => member.username === "bob")!;
    expect(await stagedLinks(summary.id)).toEqual([[1, created.id]]);
  });

  it("a linked member whose username changed only in case is still the row's member, and is updated", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const member = await createMember(tenant.id, { username: "carol", email: "carol@old.test" });
    const { summary } = await upload(cookie, csv([HEADER, memberRow("carol", 1)]));
    await db().user.update({ where: { id: member.id }, data: { username: "Carol" } });
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 1 });
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id }, select: { username: true, email: true } })).toEqual({
      // A username's spelling is the member's: the row matched it regardless of case.
      username: "Carol",
      email: "carol@import.test",
    });
  });

  it("a linked member deleted after the dry run: the row fails (an import does not bring them back) and nobody is created", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const member = await createMember(tenant.id, { username: "dora", email: "dora@old.test" });
    const { summary } = await upload(cookie, csv([HEADER, memberRow("dora", 1)]));
    await db().user.update({ where: { id: member.id }, data: { state: "deleted", deletedAt: new Date() } });
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    const done = await caller.imports.get({ importId: summary.id });
    expect(done).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 0, failedCount: 1 });
    expect(done.firstErrors.map((error) => [error.rowNumber, error.field, error.message])).toEqual([
      [1, "username", "This username belongs to a deleted member: an import does not bring them back"],
    ]);
    expect((await membersOf(tenant.id)).filter((row) => row.username.toLowerCase() === "dora")).toHaveLength(1);
  });

  it("the migration links the rows of imports staged before the links existed, so their apply updates, not duplicates", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const existing = await createMember(tenant.id, { username: "Erin", email: "erin@old.test" });
    const { summary } = await upload(cookie, csv([HEADER, memberRow("erin", 1), memberRow("newcomer", 2)]));
    // As a dry run of the version before staged them: no links.
    await db().memberImportRow.updateMany({ where: { importId: BigInt(summary.id) }, data: { memberId: null } });
    const migration = await readFile(path.join(process.cwd(), "prisma/migrations/20261211100000_link_staged_rows_to_members/migration.sql"), "utf8");
    await db().$executeRawUnsafe(migration);
    expect(await stagedLinks(summary.id)).toEqual([
      [1, existing.id],
      [2, null],
    ]);
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ status: "completed", createdCount: 1, updatedCount: 1, failedCount: 0 });
    expect((await membersOf(tenant.id)).filter((row) => row.username.toLowerCase() === "erin").map((row) => [row.id, row.email])).toEqual([
      [existing.id, "erin@import.test"],
    ]);
  });
});

describe("the links, as an attacker would try them", () => {
  it("a file cannot choose the link: a memberId, member_id or id column naming another organisation's member or an owner is ignored", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const theirs = await createMember(other.id, { username: "theirs", email: "theirs@other.test" });
    const owner = await createMember(tenant.id, { username: "boss", email: "boss@here.test", role: "owner" });
    const snapshot = () => db().user.findMany({ where: { id: { in: [theirs.id, owner.id] } }, orderBy: { id: "asc" } });
    const before = await snapshot();
    const forged = [...HEADER, "memberId", "member_id", "id"];
    const { summary } = await upload(
      cookie,
      csv([forged, [...memberRow("forged-one", 1), theirs.id.toString(), theirs.id.toString(), owner.id.toString()], [...memberRow("forged-two", 2), owner.id.toString(), owner.id.toString(), theirs.id.toString()]]),
    );
    expect(summary).toMatchObject({ status: "validated", validRows: 2 });
    expect(summary.ignoredColumns.map((column) => column.column)).toEqual(expect.arrayContaining(["memberId", "member_id", "id"]));
    expect(await stagedLinks(summary.id)).toEqual([
      [1, null],
      [2, null],
    ]);
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ status: "completed", createdCount: 2, updatedCount: 0 });
    expect(await snapshot()).toEqual(before);
  });

  it("a plain admin's row for an owner is linked, refused at the dry run, and the owner is left as they were", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const owner = await createMember(tenant.id, { username: "chief", email: "chief@here.test", role: "owner" });
    const before = await db().user.findUniqueOrThrow({ where: { id: owner.id } });
    const { summary } = await upload(cookie, csv([HEADER, memberRow("chief", 1), memberRow("plain", 2)]));
    expect(await stagedLinks(summary.id)).toEqual([
      [1, owner.id],
      [2, null],
    ]);
    expect(summary).toMatchObject({ validRows: 1, errorRows: 1 });
    expect(summary.firstErrors.map((error) => [error.rowNumber, error.message])).toEqual([[1, "Only an owner may act on an owner's account"]]);
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ status: "completed", createdCount: 1, updatedCount: 0 });
    expect(await db().user.findUniqueOrThrow({ where: { id: owner.id } })).toEqual(before);
  });

  it("50 uploads at once of a file naming existing members: each dry run links every row, and writes no member", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const known = await Promise.all(["kim", "lee", "max"].map((username) => createMember(tenant.id, { username, email: `${username}@old.test` })));
    const membersBefore = await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } });
    const file = csv([HEADER, memberRow("kim", 1), memberRow("lee", 2), memberRow("max", 3), memberRow("newbie", 4)]);
    const uploads = await Promise.all(Array.from({ length: 50 }, () => upload(cookie, file)));
    for (const { status, summary } of uploads) {
      expect(status).toBe(200);
      expect(summary).toMatchObject({ status: "validated", validRows: 4, errorRows: 0 });
      expect(await stagedLinks(summary.id)).toEqual([
        [1, known[0]!.id],
        [2, known[1]!.id],
        [3, known[2]!.id],
        [4, null],
      ]);
    }
    expect(await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } })).toEqual(membersBefore);
  });

  it("50 applies at once of an import updating linked members: each is updated once, with one event, and each new one created once", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const existing = await Promise.all(Array.from({ length: 30 }, (_, index) => createMember(tenant.id, { username: `known${index + 1}`, email: `known${index + 1}@old.test` })));
    const rows = [...existing.map((member, index) => memberRow(member.username, index + 1)), ...Array.from({ length: 30 }, (_, index) => memberRow(`fresh${index + 1}`, index + 31))];
    const { summary } = await upload(cookie, csv([HEADER, ...rows]));
    expect(summary).toMatchObject({ status: "validated", validRows: 60 });
    await caller.imports.start({ importId: summary.id });

    const results = await Promise.allSettled(Array.from({ length: 50 }, () => applyImport(db(), BigInt(summary.id))));
    expect(results.filter((result) => result.status === "rejected")).toEqual([]);
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ status: "completed", createdCount: 30, updatedCount: 30, failedCount: 0 });
    const updated = await db().user.findMany({ where: { id: { in: existing.map((member) => member.id) } }, select: { email: true } });
    expect(updated.map((member) => member.email).sort()).toEqual(existing.map((member) => `${member.username}@import.test`).sort());
    const [audit] = await db().$queryRaw<{ events: bigint; targets: bigint }[]>`
      SELECT count(*) AS events, count(DISTINCT target_id) AS targets FROM audit_events WHERE tenant_id = ${tenant.id} AND action = 'member.imported'`;
    expect(audit).toEqual({ events: 60n, targets: 60n });
    expect(await db().user.count({ where: { tenantId: tenant.id, username: { startsWith: "fresh" } } })).toBe(30);
  });
});
