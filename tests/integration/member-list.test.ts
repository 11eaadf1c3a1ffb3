import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { listMembers } from "@/server/members/list-members";
import type { TMemberListInput } from "@/server/members/schemas";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";

let tenantId: bigint;
let caller: ReturnType<typeof createCaller>;
const ids: Record<string, bigint> = {};

beforeAll(async () => {
  const tenant = await createTenant();
  tenantId = tenant.id;
  const { sessionId } = await createSignedInMember(tenantId, { role: "owner", username: "zz-owner", fullName: "Zed Owner", mobile: "+447400999999" });
  caller = createCaller(await createContextForSessionId(sessionId));
  const engineering = await db().department.create({ data: { tenantId, name: "Engineering" } });
  const platform = await db().department.create({ data: { tenantId, name: "Platform", parentId: engineering.id } });
  const sales = await db().department.create({ data: { tenantId, name: "Sales" } });
  const people = [
    { key: "alice", fullName: "Alice Martin", username: "amartin", email: "alice@corp.test", mobile: "+447400100001", department: platform.id, role: "admin" as const },
    { key: "albert", fullName: "Albert Stone", username: "astone", email: "albert@corp.test", mobile: "+447400100002", department: engineering.id },
    { key: "jonathan", fullName: "Jonathan Price", username: "jprice", email: "jon@corp.test", mobile: "+447400200003", department: sales.id },
    { key: "locked", fullName: "Lucy Locked", username: "llocked", email: "lucy@corp.test", mobile: "+447400200004", locked: true },
    { key: "disabled", fullName: "Dan Disabled", username: "ddisabled", email: "dan@corp.test", mobile: "+447400200005", enabled: false },
  ];
  for (const person of people) {
    const member = await createMember(tenantId, person);
    ids[person.key] = member.id;
    if (person.department) {
      await db().departmentMember.create({ data: { departmentId: person.department, userId: member.id } });
      await db().user.update({ where: { id: member.id }, data: { mainDepartmentId: person.department } });
    }
  }
  await db().user.update({ where: { id: ids.jonathan }, data: { source: "import", onlineAt: new Date("2026-11-01T10:00:00Z") } });
  await db().user.update({ where: { id: ids.alice }, data: { onlineAt: new Date("2026-11-20T10:00:00Z") } });
  const deleted = await createMember(tenantId, { fullName: "Alan Deleted", username: "adeleted" });
  await db().user.update({ where: { id: deleted.id }, data: { deletedAt: new Date(), state: "deleted" } });
  // Another tenant's namesake never shows.
  await createMember((await createTenant()).id, { fullName: "Alice Martin", username: "amartin" });
});

const names = async (input: TMemberListInput) => (await listMembers(db(), tenantId, input)).items.map((item) => item.fullName);

describe("searching the member list", () => {
  it("finds by the first one or two letters of the name", async () => {
    expect(await names({ search: "al" })).toEqual(["Albert Stone", "Alice Martin"]);
    expect(await names({ search: "A" })).toEqual(["Albert Stone", "Alice Martin"]);
    expect(await names({ search: "jp" })).toEqual([]);
  });
  it("finds by the start of a username, email or mobile from three characters on", async () => {
    expect(await names({ search: "jpr" })).toEqual(["Jonathan Price"]);
    expect(await names({ search: "+4474002" })).toEqual(["Dan Disabled", "Jonathan Price", "Lucy Locked"]);
  });
  it("finds by a fragment anywhere and by a near miss", async () => {
    expect(await names({ search: "martin" })).toEqual(["Alice Martin"]);
    expect(await names({ search: "corp.test" })).toHaveLength(5);
    expect(await names({ search: "jonathon" })).toEqual(["Jonathan Price"]);
  });
  it("treats LIKE wildcards in the query as plain characters", async () => {
    expect(await names({ search: "%" })).toEqual([]);
    expect(await names({ search: "a_c" })).toEqual([]);
  });
});

describe("filtering the member list", () => {
  it("by department, including its sub-departments", async () => {
    const engineering = await db().department.findFirstOrThrow({ where: { tenantId, name: "Engineering" } });
    const platform = await db().department.findFirstOrThrow({ where: { tenantId, name: "Platform" } });
    expect(await names({ departmentId: engineering.id.toString() })).toEqual(["Albert Stone", "Alice Martin"]);
    expect(await names({ departmentId: platform.id.toString() })).toEqual(["Alice Martin"]);
  });
  it("by status, role and source, and never shows deleted members", async () => {
    expect(await names({ status: "locked" })).toEqual(["Lucy Locked"]);
    expect(await names({ status: "disabled" })).toEqual(["Dan Disabled"]);
    expect(await names({ role: "admin" })).toEqual(["Alice Martin"]);
    expect(await names({ source: "import" })).toEqual(["Jonathan Price"]);
    expect(await names({ search: "alan" })).toEqual([]);
  });
  it("shows each member's main department", async () => {
    const page = await listMembers(db(), tenantId, { search: "alice" });
    expect(page.items[0]).toMatchObject({ mainDepartment: "Platform", role: "admin", status: "active" });
  });
});

describe("sorting and paging", () => {
  async function allPages(input: TMemberListInput): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await listMembers(db(), tenantId, { ...input, limit: 2, cursor });
      seen.push(...page.items.map((item) => item.fullName));
      cursor = page.nextCursor;
    } while (cursor);
    return seen;
  }
  it("walks every page in name order, both ways, with no repeats or gaps", async () => {
    const ascending = await allPages({ sort: "name" });
    expect(ascending).toEqual(["Albert Stone", "Alice Martin", "Dan Disabled", "Jonathan Price", "Lucy Locked", "Zed Owner"]);
    expect(await allPages({ sort: "name", order: "desc" })).toEqual([...ascending].reverse());
  });
  it("sorts by creation and by last online (never-online first, ascending)", async () => {
    expect((await allPages({ sort: "created" })).at(0)).toBe("Zed Owner");
    const online = await allPages({ sort: "lastOnline", order: "desc" });
    expect(online.slice(0, 2)).toEqual(["Alice Martin", "Jonathan Price"]);
    expect(online).toHaveLength(6);
  });
  it("refuses a tampered cursor or one from another sort with a clear error", async () => {
    const page = await listMembers(db(), tenantId, { sort: "name", limit: 1 });
    await expect(caller.members.list({ sort: "created", cursor: page.nextCursor })).rejects.toMatchObject({ code: "BAD_REQUEST", message: "The sort changed: start from the first page" });
    const error = await caller.members.list({ cursor: "bm90LWpzb24" }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
  });
});
