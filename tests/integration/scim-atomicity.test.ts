import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createMember, createTenant } from "../support/factories";
import { createScimToken, entraUser, scimClient } from "../support/scim-client";

// Issue 16, finishing: a PUT or PATCH is one transaction. Profile, identity,
// department and lifecycle action are all applied, or none is.

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async function scene() {
  const tenant = await createTenant();
  const token = await createScimToken(tenant.id, { name: "Entra" });
  const scim = scimClient(token.token);
  const sales = await db().department.create({ data: { tenantId: tenant.id, name: "Sales" } });
  const created = await scim.post("/Users", entraUser({ title: "Engineer", [ENTERPRISE]: { department: "Sales" } }));
  expect(created.status).toBe(201);
  return { tenant, scim, sales, id: created.body.id as string, version: (created.body.meta as { version: string }).version };
}

async function snapshot(id: string) {
  const member = await db().user.findUniqueOrThrow({
    where: { id: BigInt(id) },
    select: { title: true, email: true, state: true, enabled: true, mainDepartmentId: true, updatedAt: true },
  });
  const departments = await db().departmentMember.findMany({ where: { userId: BigInt(id) }, select: { departmentId: true } });
  const receipts = await db().lifecycleReceipt.count({ where: { userId: BigInt(id) } });
  const events = await db().auditEvent.count({ where: { targetId: BigInt(id) } });
  return { member, departments, receipts, events };
}

describe("SCIM writes are all or nothing", () => {
  it("a PATCH whose later operation is invalid changes nothing: profile, department, active", async () => {
    const { tenant, scim, id } = await scene();
    const before = await snapshot(id);
    const departments = await db().department.count({ where: { tenantId: tenant.id } });
    const answer = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: "title", value: "Director" },
        { op: "Replace", path: "active", value: false },
        { op: "Replace", path: `${ENTERPRISE}:department`, value: "No Such Department" },
      ],
    });
    expect(answer.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect(await snapshot(id)).toEqual(before);
    expect(await db().department.count({ where: { tenantId: tenant.id } })).toBe(departments);
  });

  it("a PATCH taking another member's email is 409 and leaves the title and active flag it also sent", async () => {
    const { tenant, scim, id } = await scene();
    const other = await createMember(tenant.id);
    const before = await snapshot(id);
    const answer = await scim.patch(`/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "replace", value: { title: "Director", active: false } },
        { op: "replace", path: 'emails[type eq "work"].value', value: other.email },
      ],
    });
    expect(answer.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect(await snapshot(id)).toEqual(before);
  });

  it("a PUT with a department Tenure does not have changes nothing, not even its title or active flag", async () => {
    const { tenant, scim, id } = await scene();
    const current = await scim.get(`/Users/${id}`);
    const before = await snapshot(id);
    const departments = await db().department.count({ where: { tenantId: tenant.id } });
    const answer = await scim.put(`/Users/${id}`, { ...current.body, title: "Director", active: false, [ENTERPRISE]: { department: "Europe/Research" } });
    expect(answer.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    expect(await snapshot(id)).toEqual(before);
    expect(await db().department.count({ where: { tenantId: tenant.id } })).toBe(departments);
  });

  it("a PUT that is valid applies everything at once: profile, new department, and the disable with its receipt", async () => {
    const { tenant, scim, id, sales } = await scene();
    await db().scimSettings.create({ data: { tenantId: tenant.id, createDepartments: true } });
    const current = await scim.get(`/Users/${id}`);
    const answer = await scim.put(`/Users/${id}`, { ...current.body, title: "Director", active: false, [ENTERPRISE]: { department: "Research" } });
    expect(answer.status).toBe(200);
    const after = await snapshot(id);
    expect(after.member).toMatchObject({ title: "Director", state: "disabled", enabled: false });
    expect(after.member.mainDepartmentId).not.toBe(sales.id);
    expect(after.receipts).toBe(1);
    const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: BigInt(id) } });
    // Proven once the request's transaction committed.
    expect(receipt.zeroAccessAt).not.toBeNull();
  });

  it("a Group PATCH with one unknown member among valid changes renames nobody and grants nothing", async () => {
    const { scim, id } = await scene();
    const group = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Engineers", members: [] });
    const groupId = group.body.id as string;
    const answer = await scim.patch(`/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "Replace", path: "displayName", value: "Platform" },
        { op: "Add", path: "members", value: [{ value: id }] },
        { op: "Add", path: "members", value: [{ value: "999999999999" }] },
      ],
    });
    expect(answer.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    const read = await scim.get(`/Groups/${groupId}`);
    expect(read.body).toMatchObject({ displayName: "Engineers", members: [] });
    expect(await db().memberGroup.count({ where: { groupId: BigInt(groupId) } })).toBe(0);
  });

  it("concurrent PATCHes on one user run in turn: with one If-Match, exactly one wins and the rest are 412, never 409 or 500", async () => {
    const { scim, id, version } = await scene();
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, index) =>
        scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: `Title ${index}` }] }, { "if-match": version }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
    const winner = answers.find((answer) => answer.status === 200)!;
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).title).toBe(winner.body.title);
  });

  it("concurrent PATCHes without If-Match all apply, one after another, each answered with its own result", async () => {
    const { scim, id } = await scene();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, index) =>
        scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: `Title ${index}` }] }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 200]);
    answers.forEach((answer, index) => expect(answer.body.title).toBe(`Title ${index}`));
    const versions = new Set(answers.map((answer) => (answer.body.meta as { version: string }).version));
    expect(versions.size).toBe(6);
  });
});
