import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { memberEditValues } from "@/components/members/member-form-values";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { createDirectory, createDirectoryMember } from "../support/directories";
import { adminOf, csv, upload } from "./member-import-helpers";

// Fields a directory fills are read-only everywhere but its own sync: the
// console's edit, the import and self-service refuse a change, naming the
// field and the directory, and write nothing; unchanged values pass.

const callerFor = async (sessionId: string) => createCaller(await createContextForSessionId(sessionId));

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}
const fieldErrorsOf = (error: TRPCError) => (error.cause as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {};

/** A tenant, an admin's caller, an OpenLDAP-preset directory (it maps names, email, mobile, title, landline, address; not gender nor country), and one of its members. */
async function scene() {
  const tenant = await createTenant();
  const { sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const admin = await callerFor(sessionId);
  const directory = await createDirectory(tenant.id, null, { name: `Corporate LDAP ${tenant.id}` });
  const member = await createDirectoryMember(directory);
  return { tenant, admin, directory, member };
}

const editOf = async (admin: Awaited<ReturnType<typeof callerFor>>, memberId: bigint) => {
  const detail = await admin.members.get({ memberId: memberId.toString() });
  return { detail, values: memberEditValues(detail) };
};

describe("fields a directory manages", () => {
  it("the member query says which fields and which directory; a console member has none", async () => {
    const { tenant, admin, directory, member } = await scene();
    const { detail } = await editOf(admin, member.id);
    expect(detail.managedBy).toEqual({
      directoryId: directory.id.toString(),
      directoryName: directory.name,
      fields: ["username", "email", "firstName", "lastName", "fullName", "mobile", "title", "landline", "address"],
      passwordByDirectory: false,
    });
    const local = await createMember(tenant.id);
    expect((await admin.members.get({ memberId: local.id.toString() })).managedBy).toBeNull();
  });

  it("console: a changed managed field is a field error naming the directory and nothing is written; other fields save", async () => {
    const { tenant, admin, directory, member } = await scene();
    const { values, detail } = await editOf(admin, member.id);
    const detailFields: string[] = detail.managedBy?.fields ?? [];
    const eventsBefore = await db().auditEvent.count({ where: { tenantId: tenant.id, targetId: member.id } });
    for (const change of [{ email: "someone.else@example.test" }, { firstName: "Mallory" }, { title: "CEO" }, { username: "renamed" }]) {
      const refused = await errorOf(admin.members.update({ ...values, ...change }));
      expect(refused.code).toBe("BAD_REQUEST");
      expect(fieldErrorsOf(refused)).toEqual({ [Object.keys(change)[0]!]: [`Managed by ${directory.name}: change it in the directory`] });
    }
    const row = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(row).toMatchObject({ email: member.email, firstName: member.firstName, title: null, username: member.username });
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id, targetId: member.id } })).toBe(eventsBefore);

    // The same values back, with a field the directory does not fill changed: saved.
    const saved = await admin.members.update({ ...values, gender: "female" });
    // (The form fills in the mobile's country the factory left empty: not a field the preset maps.)
    expect(saved.changed).toContain("gender");
    expect(saved.changed.filter((field) => detailFields.includes(field))).toEqual([]);

    // A member no directory manages is edited as before.
    const local = await createMember(tenant.id);
    const { values: localValues } = await editOf(admin, local.id);
    expect((await admin.members.update({ ...localValues, email: `new-${local.username}@example.test` })).changed).toContain("email");
  });

  it("self-service: a member cannot change a managed field even when the organisation lets members edit it", async () => {
    const { tenant, admin, directory, member } = await scene();
    await admin.selfService.updateSettings({ editableFields: ["mobile", "landline", "title", "gender"] });
    const sessionId = (await db().session.create({ data: { tenantId: tenant.id, userId: member.id, expiresAt: new Date(Date.now() + 3_600_000) } })).id;
    const self = await callerFor(sessionId);
    const opened = (await self.me.get()).updatedAt;
    expect((await self.me.get()).managedBy?.directoryName).toBe(directory.name);
    const refused = await errorOf(self.selfService.updateProfile({ expectedLastModifiedDate: opened, title: "Chief Everything", landline: "+44 20 7946 0000" }));
    expect(refused.code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(refused)).toEqual({
      title: [`Managed by ${directory.name}: change it in the directory`],
      landline: [`Managed by ${directory.name}: change it in the directory`],
    });
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id }, select: { title: true, landline: true } })).toEqual({ title: null, landline: null });
    // Gender is not the directory's: it saves.
    expect((await self.selfService.updateProfile({ expectedLastModifiedDate: opened, gender: "male" })).changed).toEqual(["gender"]);
  });

  it("import: a row changing a managed field is a row error naming the directory; a row repeating the values passes", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const directory = await createDirectory(tenant.id, null, { name: `HR Directory ${tenant.id}` });
    const member = await createDirectoryMember(directory, { mobile: "+447400551234" });
    const local = await createMember(tenant.id);
    const header = ["username", "firstName", "lastName", "email", "title"];
    const file = csv([
      header,
      [member.username, "Member", member.username, member.email, ""], // the same values: unchanged
      [member.username.toUpperCase(), "Member", member.username, "taken.over@example.test", ""], // the email changes
      [local.username, "Member", local.username, local.email, "Engineer"],
    ]);
    const { status, summary } = await upload(cookie, file);
    expect(status).toBe(200);
    const errors = await db().memberImportError.findMany({ where: { importId: BigInt(summary.id) }, orderBy: { rowNumber: "asc" }, select: { rowNumber: true, field: true, message: true } });
    // Row 2 is also a duplicate of row 1 in the file; the managed-field error is what matters here.
    expect(errors).toContainEqual({ rowNumber: 2, field: "email", message: `Managed by ${directory.name}: change it in the directory` });
    expect(errors.filter((error) => error.rowNumber === 1 || error.rowNumber === 3)).toEqual([]);
  });

  it("import: the directory's own sync (the importer's directory id) is not refused", async () => {
    const { recordMemberConflicts } = await import("@/server/imports/row-conflicts");
    const tenant = await createTenant();
    const { member: importer } = await createSignedInMember(tenant.id, { role: "admin" });
    const directory = await createDirectory(tenant.id, null);
    const member = await createDirectoryMember(directory);
    const imported = await db().memberImport.create({ data: { tenantId: tenant.id, createdBy: importer.id, fileName: "sync", format: "csv", status: "validated", totalRows: 1 } });
    await db().memberImportRow.create({ data: { importId: imported.id, rowNumber: 1, values: { username: member.username, email: "moved@example.test" } } });
    const range = { importId: imported.id, tenantId: tenant.id, fromRow: 1, toRow: 1 };
    await db().$transaction((tx) => recordMemberConflicts(tx, range, { memberId: null, sysAdmin: 3, directoryId: directory.id }));
    expect(await db().memberImportError.count({ where: { importId: imported.id } })).toBe(0);
    await db().$transaction((tx) => recordMemberConflicts(tx, range, { memberId: importer.id, sysAdmin: 1 }));
    expect(await db().memberImportError.findMany({ where: { importId: imported.id }, select: { field: true } })).toEqual([{ field: "email" }]);
  });
});
