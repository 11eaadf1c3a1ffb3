import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { GET as exportGet } from "@/app/api/members/export/route";
import { columnMeaning } from "@/server/imports/columns";
import { EXPORT_COLUMNS } from "@/server/members/export-members";
import { db } from "@/server/db/client";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { DEPARTED_BY_RESIGNING } from "@/server/imports/row-conflicts";
import { createMember, createTenant } from "../support/factories";
import { lifecycleScene } from "../support/lifecycle";
import { HEADER, adminOf, csv, memberRow, membersOf, report, reportRows, runDueJobs, upload } from "./member-import-helpers";

const errorsOf = (summary: { firstErrors: { rowNumber: number; field: string | null; message: string }[] }) =>
  summary.firstErrors.map((error) => ({ rowNumber: error.rowNumber, field: error.field, message: error.message }));

async function exportCsv(cookie: string): Promise<string> {
  const response = await exportGet(new Request("http://localhost:3000/api/members/export?format=csv", { headers: { cookie } }));
  return response.text();
}

describe("import dry run", () => {
  it("matches the specification's header names regardless of case, strips a UTF-8 BOM and lists the ignored columns", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const file = `\uFEFF${csv([
      ["USERNAME", "FirstName", "last name", "Email", "MOBILE", "country", "Nickname", "enabled", "id"],
      ["ada", "Ada", "Lovelace", "ada@import.test", "07400 550001", "gb", "Countess", "true", "17"],
    ])}`;
    const { status, summary } = await upload(cookie, new TextEncoder().encode(file));

    expect(status).toBe(200);
    expect(summary).toMatchObject({ status: "validated", format: "csv", totalRows: 1, validRows: 1, errorRows: 0, missingColumns: [] });
    expect(summary.ignoredColumns.map((column) => column.column)).toEqual(["Nickname", "enabled", "id"]);
    expect(summary.ignoredColumns[1]!.reason).toMatch(/lifecycle/);
    // A dry run writes no member.
    expect((await membersOf(tenant.id)).map((member) => member.username)).not.toContain("ada");
  });

  it("refuses a file without a username column before reading any row", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const { status, summary } = await upload(cookie, csv([["email", "firstName"], ["x@import.test", "X"]]));
    expect(status).toBe(422);
    expect(summary).toMatchObject({ status: "failed_validation", totalRows: 0 });
    expect(summary.failureMessage).toMatch(/no username column/);
    expect(await db().memberImportRow.count({ where: { importId: BigInt(summary.id) } })).toBe(0);
  });

  it("reports each bad row with its number, field and message, and keeps the good ones", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const { summary } = await upload(
      cookie,
      csv([
        [...HEADER, "gender", "sysAdmin", "mainDepartment"],
        [...memberRow("good", 1), "Female", "admin", ""],
        ["bad@name", "Ada", "B", "not-an-email", "+44740055000", "GB", "", "", ""],
        [...memberRow("badgender", 3), "sometimes", "2", ""],
        [...memberRow("nodept", 4), "", "member", "Nowhere/Team"],
        ["short", "row"],
      ]),
    );
    expect(summary).toMatchObject({ status: "validated", totalRows: 5, validRows: 1, errorRows: 4 });
    expect(errorsOf(summary)).toEqual([
      { rowNumber: 2, field: "username", message: "Letters, digits, dot, dash and underscore only" },
      { rowNumber: 2, field: "email", message: "Enter a valid email address" },
      { rowNumber: 2, field: "mobile", message: "Not a valid mobile number for that country" },
      { rowNumber: 3, field: "gender", message: "Choose one of the listed values" },
      { rowNumber: 4, field: "mainDepartment", message: expect.stringContaining("No department Nowhere/Team") as unknown },
      { rowNumber: 5, field: null, message: "This row has 2 cells; the header has 9" },
    ]);

    const errorReport = await report(cookie, summary.id, "?errors=only");
    expect(reportRows(errorReport.text).map((row) => row.slice(0, 4))).toEqual([
      ["2", "bad@name", "invalid", "username"],
      ["2", "bad@name", "invalid", "email"],
      ["2", "bad@name", "invalid", "mobile"],
      ["3", "badgender", "invalid", "gender"],
      ["4", "nodept", "invalid", "mainDepartment"],
      ["5", "short", "invalid", ""],
    ]);
    const fullReport = await report(cookie, summary.id);
    expect(reportRows(fullReport.text)[0]!.slice(0, 3)).toEqual(["1", "good", "valid"]);
  });

  it("refuses a new owner from an admin but not from an owner", async () => {
    const tenant = await createTenant();
    const admin = await adminOf(tenant.id, "admin");
    const owner = await adminOf(tenant.id, "owner");
    const file = csv([[...HEADER, "role"], [...memberRow("boss", 1), "owner"]]);
    expect(errorsOf((await upload(admin.cookie, file)).summary)).toEqual([{ rowNumber: 1, field: "sysAdmin", message: "Only an owner may make another owner" }]);
    expect((await upload(owner.cookie, file)).summary).toMatchObject({ validRows: 1, errorRows: 0 });
  });

  it("reports every in-file duplicate after the first: usernames regardless of case, emails, mobiles in any notation", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const { summary } = await upload(
      cookie,
      csv([
        HEADER,
        memberRow("dup", 1),
        ["DUP", "Ada", "Two", "two@import.test", "+447400550002", "GB"],
        ["three", "Ada", "Three", "DUP@import.test", "+447400550003", "GB"],
        ["four", "Ada", "Four", "four@import.test", "07400 550001", "GB"],
      ]),
    );
    expect(summary).toMatchObject({ validRows: 1, errorRows: 3 });
    expect(errorsOf(summary)).toEqual([
      { rowNumber: 2, field: "username", message: "The same username as row 1: each member appears once" },
      { rowNumber: 3, field: "email", message: "The same email as row 1: each member appears once" },
      { rowNumber: 4, field: "mobile", message: "The same mobile as row 1: each member appears once" },
    ]);
  });

  it("refuses an email or mobile of a different existing member, and a deleted member's username", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const taken = await createMember(tenant.id, { email: "taken@import.test", mobile: "+447400559999" });
    const gone = await createMember(tenant.id, { username: "gone" });
    await db().user.update({ where: { id: gone.id }, data: { deletedAt: new Date(), state: "deleted" } });
    await createMember(tenant.id, { username: "shelved", state: "archived" });
    const { summary } = await upload(
      cookie,
      csv([
        HEADER,
        ["newcomer", "New", "Comer", "TAKEN@import.test", "+447400550001", "GB"],
        ["other", "Other", "One", "other@import.test", "+447400559999", "GB"],
        memberRow("gone", 3),
        memberRow("shelved", 4),
      ]),
    );
    expect(errorsOf(summary)).toEqual([
      { rowNumber: 1, field: "email", message: "This email address is already used by another member" },
      { rowNumber: 2, field: "mobile", message: "This mobile number is already used by another member" },
      { rowNumber: 3, field: "username", message: "This username belongs to a deleted member: an import does not bring them back" },
      { rowNumber: 4, field: "username", message: "This username belongs to an archived member: unarchive them to use it again, or choose another (Members → Archived)" },
    ]);
    // A member's own email and mobile are no conflict: that row updates them.
    const own = await upload(cookie, csv([HEADER, [taken.username, "Same", "Person", "taken@import.test", "+447400559999", "GB"]]));
    expect(own.summary).toMatchObject({ validRows: 1, errorRows: 0 });
  });

  it("reads a JSON array and NDJSON with the same rules (any key case, numbers as text, null clears)", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const members = [
      { Username: "json1", firstName: "Jay", lastName: "Son", EMAIL: "json1@import.test", mobile: "+447400550001", sysAdmin: 1, title: null, extra: 1 },
      { username: "json2", firstName: "Jay", lastName: "Two", email: "bad", mobile: "+447400550002" },
      "not an object",
    ];
    const json = await upload(cookie, JSON.stringify(members, null, 2), "members.json");
    expect(json.summary).toMatchObject({ format: "json", totalRows: 3, validRows: 1, errorRows: 2 });
    expect(json.summary.ignoredColumns).toEqual([{ column: "extra", reason: "not a field of the member record" }]);
    expect(errorsOf(json.summary)).toEqual([
      { rowNumber: 2, field: "email", message: "Enter a valid email address" },
      { rowNumber: 3, field: null, message: "Each member must be a JSON object" },
    ]);

    const ndjson = await upload(cookie, `${JSON.stringify(members[0])}\n\n{"username": "broken"\n${JSON.stringify({ username: "json3", firstName: "Jay", lastName: "Three", email: "j3@import.test", mobile: "+447400550003" })}\n`, "members.ndjson");
    expect(ndjson.summary).toMatchObject({ format: "ndjson", totalRows: 3, validRows: 2, errorRows: 1 });
    expect(errorsOf(ndjson.summary)).toEqual([{ rowNumber: 2, field: null, message: "Not valid JSON" }]);

    const cutOff = await upload(cookie, JSON.stringify(members).slice(0, 50), "members.json");
    expect(cutOff.summary).toMatchObject({ status: "failed_validation", failureMessage: expect.stringContaining("not closed") as unknown });
  });
});

describe("import dry run vs apply", () => {
  it("applies only the valid rows: creates new members, updates existing ones by username, and reports which is which", async () => {
    const tenant = await createTenant();
    const { cookie, caller, member: admin } = await adminOf(tenant.id);
    const engineering = await db().department.create({ data: { tenantId: tenant.id, name: "Engineering" } });
    const platform = await db().department.create({ data: { tenantId: tenant.id, name: "Platform", parentId: engineering.id } });
    const existing = await createMember(tenant.id, { username: "Alice", email: "alice@import.test" });
    const rest = csv([
      [...HEADER, "title", "mainDepartment", "deptHead"],
      [...memberRow("bob", 1), "Engineer", "Engineering", ""],
      ["carol", "Carol", "", "carol@import.test", "+447400550003", "GB", "", "", ""],
    ]);
    // Only the columns a file has change a member: Alice keeps her name, email and mobile.
    const aliceOnly = csv([["username", "title", "mainDepartment", "deptHead"], ["alice", "Architect", "Engineering/Platform", "yes"]]);

    const dryRun = (await upload(cookie, rest)).summary;
    expect(dryRun).toMatchObject({ status: "validated", validRows: 1, errorRows: 1, missingColumns: [] });
    expect(errorsOf(dryRun)).toEqual([{ rowNumber: 2, field: "lastName", message: "Enter the last name" }]);
    const before = await membersOf(tenant.id);

    const queued = await caller.imports.start({ importId: dryRun.id });
    expect(queued.status).toBe("queued");
    // Nothing is written until the job runs.
    expect(await membersOf(tenant.id)).toEqual(before);
    await runDueJobs();

    const done = await caller.imports.get({ importId: dryRun.id });
    expect(done).toMatchObject({ status: "completed", appliedRows: 2, createdCount: 1, updatedCount: 0, unchangedCount: 0, failedCount: 0 });
    const bob = await db().user.findFirstOrThrow({ where: { tenantId: tenant.id, username: "bob" } });
    expect(bob).toMatchObject({ source: "import", createdBy: admin.id, title: "Engineer", fullName: "Ada Row1", mobile: "+447400550001", itc: "+44", country: "GB", mainDepartmentId: engineering.id });
    expect(await db().user.count({ where: { tenantId: tenant.id, username: "carol" } })).toBe(0);

    const update = (await upload(cookie, aliceOnly)).summary;
    expect(update).toMatchObject({ validRows: 1, missingColumns: ["firstName", "lastName", "email or mobile"] });
    await caller.imports.start({ importId: update.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: update.id })).toMatchObject({ status: "completed", createdCount: 0, updatedCount: 1 });
    const alice = await db().user.findUniqueOrThrow({ where: { id: existing.id } });
    expect(alice).toMatchObject({ username: "Alice", email: "alice@import.test", mobile: existing.mobile, title: "Architect", mainDepartmentId: platform.id, source: "console" });
    expect(await db().departmentMember.findUnique({ where: { departmentId_userId: { departmentId: platform.id, userId: existing.id } } })).toMatchObject({ isHead: true });

    const events = await db().auditEvent.findMany({ where: { tenantId: tenant.id, action: "member.imported" }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.targetId)).toEqual([bob.id, existing.id]);
    expect(events[1]!.changes).toEqual({
      title: { before: null, after: "Architect" },
      mainDepartmentId: { before: null, after: platform.id.toString() },
      deptHead: { before: false, after: true },
    });
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id, action: "members.import_applied" } })).toBe(2);

    const rows = reportRows((await report(cookie, dryRun.id)).text);
    expect(rows.map((row) => row.slice(0, 3))).toEqual([
      ["1", "bob", "created"],
      ["2", "carol", "invalid"],
    ]);
  });

  it("fails, at apply time, rows whose email another member took after the dry run, and applies the rest", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const dryRun = (await upload(cookie, csv([HEADER, memberRow("first", 1), memberRow("second", 2), memberRow("third", 3)]))).summary;
    await createMember(tenant.id, { username: "quick", email: "second@import.test" });
    await caller.imports.start({ importId: dryRun.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: dryRun.id })).toMatchObject({
      status: "completed",
      createdCount: 2,
      failedCount: 1,
      firstErrors: [{ rowNumber: 2, username: "second", field: "email", message: "This email address is already used by another member" }],
    });
    expect(reportRows((await report(cookie, dryRun.id)).text).map((row) => row[2])).toEqual(["created", "failed", "created"]);
  });

  it("fails, at apply time, new members whose username (by a deleted member) or mobile was taken, or whose department went, after the dry run", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const department = await db().department.create({ data: { tenantId: tenant.id, name: "Short-lived" } });
    const dryRun = (
      await upload(
        cookie,
        csv([
          [...HEADER, "mainDeptId"],
          [...memberRow("alpha", 1), ""],
          [...memberRow("taken", 2), ""],
          [...memberRow("gamma", 3), ""],
          [...memberRow("delta", 4), department.id.toString()],
          [...memberRow("omega", 5), ""],
        ]),
      )
    ).summary;
    expect(dryRun).toMatchObject({ validRows: 5, errorRows: 0 });
    await createMember(tenant.id, { username: "TAKEN", email: "someone@else.test", state: "deleted" });
    await createMember(tenant.id, { username: "phone", email: "phone@else.test", mobile: "+447400550003" });
    await db().department.delete({ where: { id: department.id } });
    await caller.imports.start({ importId: dryRun.id });
    await runDueJobs();
    const done = await caller.imports.get({ importId: dryRun.id });
    expect(done).toMatchObject({ status: "completed", createdCount: 2, failedCount: 3 });
    expect(done.firstErrors.map((error) => [error.rowNumber, error.field, error.message])).toEqual([
      [2, "username", "This username belongs to a deleted member: an import does not bring them back"],
      [3, "mobile", "This mobile number is already used by another member"],
      [4, "mainDeptId", "This department no longer exists"],
    ]);
    expect(reportRows((await report(cookie, dryRun.id)).text).map((row) => row[2])).toEqual(["created", "failed", "failed", "failed", "created"]);
    // Only the two rows that were still valid wrote a member; the taken username still has its first holder only.
    const imported = (await membersOf(tenant.id)).filter((member) => member.email?.endsWith("@import.test"));
    expect(imported.map((member) => member.username)).toEqual(["alpha", "omega"]);
    expect((await membersOf(tenant.id)).filter((member) => member.username.toLowerCase() === "taken").map((member) => member.email)).toEqual(["someone@else.test"]);
  });

  it("cannot apply twice, nor apply a file that failed, nor apply another tenant's import", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const stranger = await adminOf((await createTenant()).id);
    const dryRun = (await upload(cookie, csv([HEADER, memberRow("once", 1)]))).summary;
    await expect(stranger.caller.imports.start({ importId: dryRun.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(stranger.caller.imports.get({ importId: dryRun.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect((await report(stranger.cookie, dryRun.id)).status).toBe(404);
    await caller.imports.start({ importId: dryRun.id });
    await expect(caller.imports.start({ importId: dryRun.id })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    const failed = (await upload(cookie, "")).summary;
    expect(failed).toMatchObject({ status: "failed_validation", failureMessage: "The file is empty" });
    await expect(caller.imports.start({ importId: failed.id })).rejects.toBeInstanceOf(TRPCError);
    expect((await stranger.caller.imports.list({})).items.map((item) => item.id)).not.toContain(dryRun.id);
    expect((await caller.imports.list({})).items.map((item) => item.id)).toEqual([failed.id, dryRun.id]);
  });

  it("keeps tenants apart: a username or department of another tenant means nothing here", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const theirs = await createMember(other.id, { username: "shared", email: "shared@import.test" });
    const theirDepartment = await db().department.create({ data: { tenantId: other.id, name: "Theirs" } });
    const { summary } = await upload(
      cookie,
      csv([
        [...HEADER, "mainDeptId"],
        [...memberRow("shared", 1).slice(0, 3), "shared@import.test", "+447400550001", "GB", ""],
        [...memberRow("intruder", 2), theirDepartment.id.toString()],
      ]),
    );
    expect(errorsOf(summary)).toEqual([{ rowNumber: 2, field: "mainDeptId", message: "No department of your organisation has this id" }]);
    await caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: summary.id })).toMatchObject({ createdCount: 1, updatedCount: 0 });
    expect(await db().user.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ tenantId: other.id, source: "console" });
  });

  it("is safe to run again: the job of a completed import changes nothing", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const dryRun = (await upload(cookie, csv([HEADER, memberRow("again1", 1), memberRow("again2", 2)]))).summary;
    await caller.imports.start({ importId: dryRun.id });
    await runDueJobs();
    const members = await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } });
    const events = await db().auditEvent.count({ where: { tenantId: tenant.id } });

    await db().$transaction((tx) => import("@/server/imports/queue-import").then(({ enqueueImportApply }) => enqueueImportApply(tx, BigInt(dryRun.id))));
    await runDueJobs();

    expect(await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } })).toEqual(members);
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id } })).toBe(events);
    expect(await caller.imports.get({ importId: dryRun.id })).toMatchObject({ status: "completed", createdCount: 2, appliedRows: 2 });
  });
});

describe("export round-trips import", () => {
  it("imports an export back without changing anyone; an edited cell then updates that member only", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const sales = await db().department.create({ data: { tenantId: tenant.id, name: "Sales" } });
    const seeded = (await upload(cookie, csv([[...HEADER, "title", "gender", "mainDepartment"], [...memberRow("rt1", 1), "=risky()", "female", "Sales"], [...memberRow("rt2", 2), "", "", ""]]))).summary;
    await caller.imports.start({ importId: seeded.id });
    await runDueJobs();
    // The whole record travels: a department head, a scheduled lock, an expired password, an avatar.
    const rt1 = await db().user.findFirstOrThrow({ where: { tenantId: tenant.id, username: "rt1" } });
    await db().departmentMember.update({ where: { departmentId_userId: { departmentId: sales.id, userId: rt1.id } }, data: { isHead: true } });
    await db().user.update({
      where: { id: rt1.id },
      data: { lockStartAt: new Date(Date.now() + 86_400_000), lockEndAt: new Date(Date.now() + 2 * 86_400_000), passwordExpiresAt: new Date(Date.now() - 1000), avatarUrl: "https://example.test/a.png" },
    });
    const before = await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } });
    const headsBefore = await db().departmentMember.findMany({ where: { departmentId: sales.id }, orderBy: { userId: "asc" } });
    expect(before.find((member) => member.username === "rt1")).toMatchObject({ title: "=risky()", mainDepartmentId: sales.id });

    const exported = await exportCsv(cookie);
    const again = (await upload(cookie, exported, "export.csv")).summary;
    expect(again).toMatchObject({ status: "validated", errorRows: 0, validRows: before.length });
    expect(again.ignoredColumns.map((column) => column.column)).toEqual(
      EXPORT_COLUMNS.filter((column) => "ignored" in columnMeaning(column)),
    );
    expect(again.ignoredColumns.every((column) => column.reason !== "not a field of the member record")).toBe(true);
    await caller.imports.start({ importId: again.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: again.id })).toMatchObject({ createdCount: 0, updatedCount: 0, unchangedCount: before.length, failedCount: 0 });
    expect(await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } })).toEqual(before);
    expect(await db().departmentMember.findMany({ where: { departmentId: sales.id }, orderBy: { userId: "asc" } })).toEqual(headsBefore);
    const exportedAgain = await exportCsv(cookie);
    expect(exportedAgain).toBe(exported);

    const edited = exported.replace("'=risky()", "Analyst");
    const third = (await upload(cookie, edited, "edited.csv")).summary;
    await caller.imports.start({ importId: third.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: third.id })).toMatchObject({ updatedCount: 1, unchangedCount: before.length - 1 });
    expect(await db().user.findFirstOrThrow({ where: { tenantId: tenant.id, username: "rt1" } })).toMatchObject({ title: "Analyst" });
  });

  it("carries the state, the role names and the department path, and a tree with resigned, locked and disabled members imports back with no error and no change", async () => {
    const scene = await lifecycleScene();
    const { tenant } = scene;
    const { cookie, caller } = await adminOf(tenant.id, "owner");
    // Two departments named "Support": only the path tells them apart.
    const emea = await db().department.create({ data: { tenantId: tenant.id, name: "EMEA" } });
    const apac = await db().department.create({ data: { tenantId: tenant.id, name: "APAC" } });
    const emeaSupport = await db().department.create({ data: { tenantId: tenant.id, name: "Support", parentId: emea.id } });
    await db().department.create({ data: { tenantId: tenant.id, name: "Support", parentId: apac.id } });
    const { member: resigned } = await scene.newMember();
    const { member: locked } = await scene.newMember();
    const { member: disabled } = await scene.newMember();
    const nested = await createMember(tenant.id, { username: "nested" });
    await db().departmentMember.create({ data: { departmentId: emeaSupport.id, userId: nested.id } });
    await db().user.update({ where: { id: nested.id }, data: { mainDepartmentId: emeaSupport.id, landline: "+44 20 7946 0958" } });
    await db().memberRole.create({ data: { userId: nested.id, roleId: scene.items.role.id } });
    await runLifecycleAction(db(), scene.actor, { action: "resign", memberIds: [resigned.id.toString()], reason: "Moved abroad" });
    await runLifecycleAction(db(), scene.actor, { action: "lock", memberIds: [locked.id.toString()], reason: "Lost laptop" });
    await runLifecycleAction(db(), scene.actor, { action: "disable", memberIds: [disabled.id.toString()], reason: "Left the project" });

    const exported = await exportCsv(cookie);
    const [header, ...lines] = exported.replace(/^\uFEFF/, "").trim().split("\r\n").map((line) => line.split(","));
    const cell = (username: string, column: string) => lines.find((line) => line[1] === username)![header!.indexOf(column)];
    expect(cell("nested", "mainDepartment")).toBe("EMEA/Support");
    expect(cell("nested", "roles")).toBe(scene.items.role.name);
    expect(cell("nested", "landline")).toBe("+44 20 7946 0958"); // no apostrophe on a phone number
    expect(cell("nested", "mobile")).toMatch(/^\+\d+$/);
    expect(cell(resigned.username, "state")).toBe("resigned");
    expect(cell(resigned.username, "mainDepartment")).toBe("Departed");
    expect(cell(locked.username, "state")).toBe("locked");
    expect(cell(disabled.username, "state")).toBe("disabled");
    expect(cell(scene.admin.username, "sysAdminName")).toBe("admin");

    const before = await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } });
    const dryRun = (await upload(cookie, exported, "export.csv")).summary;
    expect(errorsOf(dryRun)).toEqual([]);
    expect(dryRun).toMatchObject({ status: "validated", errorRows: 0, validRows: before.length });
    await caller.imports.start({ importId: dryRun.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: dryRun.id })).toMatchObject({ createdCount: 0, updatedCount: 0, unchangedCount: before.length, failedCount: 0 });
    expect(await db().user.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } })).toEqual(before);

    // Departed stays the resigning's own: an import moves nobody else there.
    const refused = (await upload(cookie, csv([["username", "mainDepartment"], ["nested", "Departed"]]), "moved.csv")).summary;
    expect(errorsOf(refused)).toEqual([expect.objectContaining({ field: "mainDeptId", message: DEPARTED_BY_RESIGNING })]);
  });

  it("imports a JSON export back unchanged too", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    await createMember(tenant.id, { username: "jsonrt" });
    const response = await exportGet(new Request("http://localhost:3000/api/members/export?format=json", { headers: { cookie } }));
    const again = (await upload(cookie, await response.text(), "export.json")).summary;
    expect(again).toMatchObject({ format: "json", errorRows: 0 });
    await caller.imports.start({ importId: again.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: again.id })).toMatchObject({ createdCount: 0, updatedCount: 0, failedCount: 0 });
  });
});

describe("import and step-up", () => {
  it("applying rows that make admins needs a recent step-up; the dry run does not", async () => {
    const tenant = await createTenant();
    const { member, cookie, caller } = await adminOf(tenant.id);
    const { summary } = await upload(cookie, csv([[...HEADER, "sysAdmin"], [...memberRow("promoted", 1), "admin"]]));
    expect(summary).toMatchObject({ validRows: 1, errorRows: 0 });
    await db().session.updateMany({ where: { userId: member.id }, data: { steppedUpAt: new Date(Date.now() - 6 * 60 * 1000) } });
    const refusal = await caller.imports.start({ importId: summary.id }).catch((error: unknown) => error as { code: string; message: string });
    expect(refusal).toMatchObject({ code: "FORBIDDEN" });
    expect((refusal as { message: string }).message).toMatch(/Confirm it's you/);
    expect((await caller.imports.get({ importId: summary.id })).status).toBe("validated");
  });
});
