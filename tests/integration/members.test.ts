import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ConflictError, ForbiddenError } from "@/server/errors";
import { createMember } from "@/server/members/create-member";
import { updateMember } from "@/server/members/update-member";
import type { TMemberCreateInput } from "@/server/members/schemas";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember as createMemberRow, createSignedInMember, createTenant } from "../support/factories";

let sequence = 0;
function newMember(overrides: Partial<TMemberCreateInput> = {}): TMemberCreateInput & { email: string; mobile: string } {
  sequence += 1;
  return {
    firstName: "Yunting",
    lastName: "Wang",
    username: `yunting${sequence}`,
    email: `yunting${sequence}@example.test`,
    mobile: `07911 1234${String(sequence).padStart(2, "0")}`,
    country: "GB",
    ...overrides,
  } as TMemberCreateInput & { email: string; mobile: string };
}

async function adminOf(tenantId: bigint, role: "admin" | "owner" = "admin") {
  const { member, sessionId } = await createSignedInMember(tenantId, { role });
  const actor = { tenantId, memberId: member.id, sysAdmin: member.sysAdmin, ipAddress: "198.51.100.7", userAgent: "vitest" };
  return { member, actor, caller: createCaller(await createContextForSessionId(sessionId)) };
}

const auditOf = (targetId: bigint) => db().auditEvent.findMany({ where: { targetType: "member", targetId }, orderBy: { id: "asc" } });

describe("creating a member", () => {
  it("stores the record with system-set fields and one audit event in the same transaction", async () => {
    const tenant = await createTenant();
    const { member: admin, actor } = await adminOf(tenant.id);
    const created = await createMember(db(), actor, newMember({ title: "Engineer", gender: "female", landline: " ", username: "yt.wang" }));

    const row = await db().user.findUniqueOrThrow({ where: { id: created.id } });
    expect(row).toMatchObject({
      fullName: "Yunting Wang",
      mobile: "+447911123401",
      itc: "+44",
      country: "GB",
      landline: null,
      title: "Engineer",
      gender: "female",
      source: "console",
      createdBy: admin.id,
      lastModifiedBy: admin.id,
      sysAdmin: 0,
      enabled: true,
      locked: false,
    });
    const [event] = await auditOf(created.id);
    expect(event).toMatchObject({ action: "member.created", actorId: admin.id, tenantId: tenant.id, ipAddress: "198.51.100.7" });
    expect(event!.changes).toMatchObject({ username: { before: null, after: "yt.wang" }, mobile: { before: null, after: "+447911123401" } });
  });

  it("makes the full name in the tenant's name order unless one is given", async () => {
    const tenant = await createTenant();
    await db().tenant.update({ where: { id: tenant.id }, data: { nameOrder: "last_first" } });
    const { actor } = await adminOf(tenant.id);
    const composed = await createMember(db(), actor, newMember());
    const given = await createMember(db(), actor, newMember({ fullName: "Tina Wang" }));
    const names = await db().user.findMany({ where: { id: { in: [composed.id, given.id] } }, select: { fullName: true }, orderBy: { id: "asc" } });
    expect(names.map((row) => row.fullName)).toEqual(["Wang Yunting", "Tina Wang"]);
  });

  it("turns a taken username, email or mobile (in any letter case or format) into a field error and writes nothing", async () => {
    const tenant = await createTenant();
    const { actor } = await adminOf(tenant.id);
    const first = newMember();
    await createMember(db(), actor, first);
    const attempts: [Partial<TMemberCreateInput>, string][] = [
      [{ username: first.username.toUpperCase() }, "username"],
      [{ email: first.email.toUpperCase() }, "email"],
      [{ mobile: `+44 ${first.mobile.slice(1)}`, country: "GB" }, "mobile"],
    ];
    for (const [overrides, field] of attempts) {
      const error = await createMember(db(), actor, newMember(overrides)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(ConflictError);
      expect(Object.keys((error as ConflictError).fieldErrors)).toEqual([field]);
    }
    expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(2);
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("allows the same username in another organisation", async () => {
    const { actor: one } = await adminOf((await createTenant()).id);
    const { actor: two } = await adminOf((await createTenant()).id);
    await createMember(db(), one, newMember({ username: "shared", email: "shared@example.test", mobile: "07911 123499" }));
    await expect(createMember(db(), two, newMember({ username: "shared", email: "shared@example.test", mobile: "07911 123499" }))).resolves.toHaveProperty("id");
  });

  it("refuses values over the specification's limits, invalid mobiles and read-only fields, with field errors", async () => {
    const tenant = await createTenant();
    const { caller } = await adminOf(tenant.id);
    const cases: [Record<string, unknown>, string][] = [
      [{ firstName: "x".repeat(101) }, "firstName"],
      [{ title: "x".repeat(101) }, "title"],
      [{ address: "x".repeat(201) }, "address"],
      [{ landline: "1".repeat(41) }, "landline"],
      [{ landline: "abc" }, "landline"],
      [{ landline: "ring reception" }, "landline"],
      [{ mobile: "12345" }, "mobile"],
      [{ mobile: "07911 123456", country: "FR" }, "mobile"],
      [{ gender: "unknown" }, "gender"],
    ];
    for (const [overrides, field] of cases) {
      const error = await caller.members.create({ ...newMember(), ...overrides }).catch((caught: unknown) => caught as TRPCError);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
      expect(JSON.stringify((error as TRPCError).cause)).toContain(field);
    }
    const readOnly = await caller.members.create({ ...newMember(), source: "scim", createdBy: "1" } as TMemberCreateInput).catch((caught: unknown) => caught as TRPCError);
    expect((readOnly as TRPCError).code).toBe("BAD_REQUEST");
    expect(JSON.stringify((readOnly as TRPCError).cause)).toMatch(/source|createdBy/);
  });

  it("lets only an owner make an owner", async () => {
    const tenant = await createTenant();
    const { actor: admin } = await adminOf(tenant.id, "admin");
    const { actor: owner } = await adminOf(tenant.id, "owner");
    await expect(createMember(db(), admin, newMember({ role: "owner" }))).rejects.toBeInstanceOf(ForbiddenError);
    await expect(createMember(db(), owner, newMember({ role: "owner" }))).resolves.toHaveProperty("id");
  });
});

describe("editing a member", () => {
  async function editable(tenantId: bigint) {
    const { actor, member: admin, caller } = await adminOf(tenantId);
    const created = await createMember(db(), actor, newMember());
    const detail = await caller.members.get({ memberId: created.id.toString() });
    const form = {
      memberId: created.id.toString(),
      expectedLastModifiedDate: detail.updatedAt,
      firstName: detail.firstName,
      lastName: detail.lastName,
      fullName: detail.fullName,
      username: detail.username,
      email: detail.email,
      mobile: detail.mobile!,
      country: detail.country!,
      title: detail.title,
      role: detail.role,
    };
    return { actor, admin, caller, memberId: created.id, form };
  }

  it("records only the fields that changed, with before and after", async () => {
    const tenant = await createTenant();
    const { actor, admin, memberId, form } = await editable(tenant.id);
    const result = await updateMember(db(), actor, { ...form, title: "Lead engineer", lastName: "Wong" });
    expect(result.changed.sort()).toEqual(["lastName", "title"]);
    const events = await auditOf(memberId);
    expect(events.map((event) => event.action)).toEqual(["member.created", "member.updated"]);
    expect(events[1]!.changes).toEqual({ lastName: { before: "Wang", after: "Wong" }, title: { before: null, after: "Lead engineer" } });
    const row = await db().user.findUniqueOrThrow({ where: { id: memberId } });
    expect(row.lastModifiedBy).toBe(admin.id);
    expect(row.fullName).toBe("Yunting Wang"); // given explicitly in the form, so kept
  });

  it("writes nothing when nothing changed", async () => {
    const tenant = await createTenant();
    const { actor, memberId, form } = await editable(tenant.id);
    const result = await updateMember(db(), actor, form);
    expect(result.changed).toEqual([]);
    expect(await auditOf(memberId)).toHaveLength(1);
  });

  it("refuses an edit based on a stale version, naming who changed it and when", async () => {
    const tenant = await createTenant();
    const { actor, admin, memberId, form } = await editable(tenant.id);
    await updateMember(db(), actor, { ...form, title: "First edit" });
    const stale = await updateMember(db(), actor, { ...form, title: "Second edit" }).catch((caught: unknown) => caught);
    expect(stale).toBeInstanceOf(ConflictError);
    expect((stale as Error).message).toMatch(new RegExp(`^${admin.fullName} changed this member at \\d{4}-.*Reload`));
    expect((await db().user.findUniqueOrThrow({ where: { id: memberId } })).title).toBe("First edit");
  });

  it("lets exactly one of two simultaneous edits of the same version win", async () => {
    const tenant = await createTenant();
    const { actor, memberId, form } = await editable(tenant.id);
    const results = await Promise.allSettled([
      updateMember(db(), actor, { ...form, title: "A" }),
      updateMember(db(), actor, { ...form, title: "B" }),
    ]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(await auditOf(memberId)).toHaveLength(2);
  });

  it("maps a conflicting new username to a field error", async () => {
    const tenant = await createTenant();
    const other = await createMemberRow(tenant.id, { username: "taken-name" });
    const { actor, form } = await editable(tenant.id);
    const error = await updateMember(db(), actor, { ...form, username: other.username }).catch((caught: unknown) => caught);
    expect((error as ConflictError).fieldErrors).toEqual({ username: ["This username is already taken in your organisation"] });
  });

  it("keeps role changes to the rules: not one's own, and owner only by an owner", async () => {
    const tenant = await createTenant();
    const { actor, admin, caller, form } = await editable(tenant.id);
    await expect(updateMember(db(), actor, { ...form, role: "owner" })).rejects.toBeInstanceOf(ForbiddenError);
    const self = await caller.members.get({ memberId: admin.id.toString() });
    const ownForm = { ...form, memberId: admin.id.toString(), expectedLastModifiedDate: self.updatedAt, username: self.username, email: self.email, mobile: self.mobile!, country: "GB", role: "member" as const };
    await expect(updateMember(db(), actor, ownForm)).rejects.toThrow("You cannot change your own role");
    await expect(updateMember(db(), actor, { ...form, role: "admin" })).resolves.toMatchObject({ changed: ["sysAdmin"] });
  });

  it("never reaches a member of another organisation", async () => {
    const tenant = await createTenant();
    const { form } = await editable(tenant.id);
    const { caller: outsider } = await adminOf((await createTenant()).id);
    await expect(outsider.members.get({ memberId: form.memberId })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.members.update({ ...form, title: "Hijacked" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(outsider.members.timeline({ memberId: form.memberId })).resolves.toEqual({ items: [], nextCursor: null });
  });
});

describe("the member record in the database", () => {
  it("accepts as main department only one of the member's own departments, and clears it when they leave", async () => {
    const tenant = await createTenant();
    const member = await createMemberRow(tenant.id);
    const sales = await db().department.create({ data: { tenantId: tenant.id, name: "Sales" } });
    await expect(db().user.update({ where: { id: member.id }, data: { mainDepartmentId: sales.id } })).rejects.toThrow();
    await db().departmentMember.create({ data: { departmentId: sales.id, userId: member.id } });
    await db().user.update({ where: { id: member.id }, data: { mainDepartmentId: sales.id } });
    await db().departmentMember.delete({ where: { departmentId_userId: { departmentId: sales.id, userId: member.id } } });
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).mainDepartmentId).toBeNull();
  });

  it("requires a mobile number in E.164 form, and an email or a mobile on every member", async () => {
    const tenant = await createTenant();
    await expect(createMemberRow(tenant.id, { mobile: "07911123456" })).rejects.toThrow();
    await expect(db().$executeRaw`INSERT INTO users (tenant_id, username, first_name, last_name, full_name) VALUES (${tenant.id}, 'nocontact', 'N', 'M', 'N M')`).rejects.toThrow(/users_email_or_mobile/);
  });
});

describe("a member's timeline", () => {
  it("pages through audit events newest first with the actor's name", async () => {
    const tenant = await createTenant();
    const { actor, caller, member: admin } = await adminOf(tenant.id);
    const created = await createMember(db(), actor, newMember());
    let version = (await caller.members.get({ memberId: created.id.toString() })).updatedAt;
    for (const title of ["One", "Two", "Three"]) {
      const detail = await caller.members.get({ memberId: created.id.toString() });
      const result = await caller.members.update({
        memberId: created.id.toString(), expectedLastModifiedDate: version, firstName: detail.firstName, lastName: detail.lastName, fullName: detail.fullName,
        username: detail.username, email: detail.email, mobile: detail.mobile!, country: detail.country!, role: detail.role, title,
      });
      version = result.lastModifiedDate;
    }
    const first = await caller.members.timeline({ memberId: created.id.toString(), limit: 3 });
    expect(first.items.map((item) => item.changes.title?.after ?? item.action)).toEqual(["Three", "Two", "One"]);
    expect(first.items[0]!.actorName).toBe(admin.fullName);
    const second = await caller.members.timeline({ memberId: created.id.toString(), limit: 3, cursor: first.nextCursor });
    expect(second.items.map((item) => item.action)).toEqual(["member.created"]);
    expect(second.nextCursor).toBeNull();
  });
});
