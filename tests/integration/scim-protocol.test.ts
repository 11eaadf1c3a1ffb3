import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createMember, createTenant } from "../support/factories";
import { createScimToken, entraUser, scimClient, scimRequest } from "../support/scim-client";

// Issue 16, items 2-4: discovery, refusals, DELETE per the organisation's
// setting, departments, Groups as Entra and Okta send them, the request log.

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async function scene() {
  const tenant = await createTenant();
  const token = await createScimToken(tenant.id, { name: "Okta" });
  return { tenant, token, scim: scimClient(token.token) };
}

describe("SCIM discovery and refusals", () => {
  it("serves ServiceProviderConfig, and ResourceTypes and Schemas as ListResponses (Entra requires it)", async () => {
    const { scim } = await scene();
    const config = await scim.get("/ServiceProviderConfig");
    expect(config.body).toMatchObject({ patch: { supported: true }, bulk: { supported: false }, filter: { supported: true, maxResults: 1000 }, sort: { supported: true }, etag: { supported: true } });
    expect((config.body.authenticationSchemes as { type: string }[])[0]!.type).toBe("oauthbearertoken");
    const types = await scim.get("/ResourceTypes");
    expect(types.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 2 });
    const schemas = await scim.get("/Schemas");
    expect((schemas.body.Resources as { id: string }[]).map((schema) => schema.id)).toContain(ENTERPRISE);
    expect((await scim.get("/ResourceTypes/User")).body).toMatchObject({ id: "User", endpoint: "/Users" });
    expect((await scim.get("/Schemas/urn:nope")).status).toBe(404);
  });

  it("refuses no token, an unknown, revoked or expired one (401), a token without the scim scope (403), in the error schema", async () => {
    const { tenant, token } = await scene();
    const noToken = await scimRequest(null, "GET", "/Users");
    expect(noToken.status).toBe(401);
    expect(noToken.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "401" });
    expect(noToken.headers.get("www-authenticate")).toContain("Bearer");
    expect((await scimRequest("tnr_at_nope", "GET", "/Users")).status).toBe(401);
    const readOnly = await createScimToken(tenant.id, { scopes: ["directory:read"] });
    expect((await scimRequest(readOnly.token, "GET", "/Users")).status).toBe(403);
    await db().apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect((await scimRequest(token.token, "GET", "/Users")).status).toBe(401);
  });

  it("answers malformed JSON, a huge body, unknown endpoints and unsupported methods with SCIM errors", async () => {
    const { scim, token } = await scene();
    const malformed = await scimRequest(token.token, "POST", "/Users", "{not json");
    expect(malformed.body).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    const huge = await scim.post("/Users", { ...entraUser(), padding: "x".repeat(1_100_000) });
    expect(huge.status).toBe(413);
    expect((await scim.get("/Nope")).status).toBe(404);
    expect((await scim.post("/Bulk", {})).status).toBe(501);
    expect((await scimRequest(token.token, "DELETE", "/Users")).status).toBe(405);
    const user = await scim.post("/Users", entraUser());
    const badOp = await scim.patch(`/Users/${user.body.id as string}`, { schemas: [PATCH_OP], Operations: [{ op: "explode", path: "title" }] });
    expect(badOp.body).toMatchObject({ status: "400", scimType: "invalidSyntax" });
    const badPath = await scim.patch(`/Users/${user.body.id as string}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "emails[type eq", value: "x" }] });
    expect(badPath.body).toMatchObject({ status: "400", scimType: "invalidPath" });
  });
});

describe("SCIM against hostile input", () => {
  it("a NUL byte in a userName, a filter or an id, a 1 MB filter, or a garbage startIndex is a 400 in the SCIM error schema, never a 500 or a write", async () => {
    const { scim, tenant } = await scene();
    const before = await db().user.count({ where: { tenantId: tenant.id } });
    const nulUser = await scim.post("/Users", { ...entraUser(), userName: "ada\u0000lovelace@example.test" });
    expect(nulUser.status).toBe(400);
    expect(nulUser.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400" });
    for (const path of [
      `/Users?filter=${encodeURIComponent('userName eq "a\u0000b"')}`,
      `/Users?filter=${encodeURIComponent(`userName eq "${"x".repeat(1_000_000)}"`)}`,
      "/Users?startIndex=abc",
      "/Users/1%00",
      `/Users/${"9".repeat(40)}`,
    ]) {
      const answer = await scim.get(path);
      expect([400, 404], path.slice(0, 40)).toContain(answer.status);
    }
    expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(before);
    // Every one of them is in the request log (a NUL-bearing id used to make its entry fail), without a NUL.
    const logged = await db().scimRequest.findMany({ where: { tenantId: tenant.id }, select: { resourceId: true } });
    expect(logged).toHaveLength(6);
    expect(logged.every((row) => !row.resourceId?.includes("\u0000"))).toBe(true);
  });

  it("50 parallel PATCHes of active:false disable once: one receipt, one lifecycle event", async () => {
    const { scim } = await scene();
    const user = await scim.post("/Users", entraUser());
    const id = user.body.id as string;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] })),
    );
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(await db().lifecycleReceipt.count({ where: { userId: BigInt(id), action: "disable" } })).toBe(1);
    expect(await db().auditEvent.count({ where: { targetId: BigInt(id), action: "member.disable" } })).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).state).toBe("disabled");
  });
});

describe("SCIM lifecycle", () => {
  it("DELETE disables by default (a receipt naming the token), and follows the setting: resign, or the recycle bin", async () => {
    const { tenant, scim } = await scene();
    const first = await scim.post("/Users", entraUser());
    expect((await scim.delete(`/Users/${first.body.id as string}`)).status).toBe(204);
    const disabled = await db().user.findUniqueOrThrow({ where: { id: BigInt(first.body.id as string) } });
    expect(disabled.state).toBe("disabled");
    expect(disabled.disableReason).toContain("API token Okta");
    const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: disabled.id } });
    expect(receipt.actorTokenId).not.toBeNull();

    await db().scimSettings.create({ data: { tenantId: tenant.id, deleteAction: "resign" } });
    const second = await scim.post("/Users", entraUser());
    await scim.delete(`/Users/${second.body.id as string}`);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(second.body.id as string) } })).state).toBe("resigned");

    await db().scimSettings.update({ where: { tenantId: tenant.id }, data: { deleteAction: "delete" } });
    const third = await scim.post("/Users", entraUser());
    await scim.delete(`/Users/${third.body.id as string}`);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(third.body.id as string) } })).state).toBe("deleted");
    expect((await scim.get(`/Users/${third.body.id as string}`)).status).toBe(404);
  });

  it("never acts on an owner (a token has an admin's authority)", async () => {
    const { tenant, scim } = await scene();
    const owner = await createMember(tenant.id, { role: "owner" });
    const answer = await scim.patch(`/Users/${owner.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(answer.status).toBe(403);
    expect((await db().user.findUniqueOrThrow({ where: { id: owner.id } })).state).toBe("active");
  });

  it("maps the enterprise department by name or path, creating it only when the setting allows", async () => {
    const { tenant, scim } = await scene();
    const europe = await db().department.create({ data: { tenantId: tenant.id, name: "Europe" } });
    const sales = await db().department.create({ data: { tenantId: tenant.id, name: "Sales", parentId: europe.id } });
    const byPath = await scim.post("/Users", entraUser({ [ENTERPRISE]: { department: "Europe/Sales" } }));
    expect(byPath.status).toBe(201);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(byPath.body.id as string) } })).mainDepartmentId).toBe(sales.id);
    const unknown = await scim.post("/Users", entraUser({ [ENTERPRISE]: { department: "Research" } }));
    expect(unknown.body).toMatchObject({ status: "400", scimType: "invalidValue" });
    await db().scimSettings.create({ data: { tenantId: tenant.id, createDepartments: true } });
    const created = await scim.post("/Users", entraUser({ [ENTERPRISE]: { department: "Research" } }));
    expect(created.body[ENTERPRISE]).toMatchObject({ department: "Research" });
  });
});

describe("SCIM Groups", () => {
  it("creates, renames and changes members as Entra does (Add/Remove members with value arrays), excludedAttributes=members", async () => {
    const { tenant, scim } = await scene();
    const ada = await scim.post("/Users", entraUser());
    const bob = await scim.post("/Users", entraUser());
    const group = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], externalId: "g-1", displayName: "Engineers", members: [] });
    expect(group.status).toBe(201);
    const id = group.body.id as string;
    const added = await scim.patch(`/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Add", path: "members", value: [{ value: ada.body.id }, { value: bob.body.id }] }] });
    expect(added.status).toBe(200);
    expect(await db().memberGroup.count({ where: { groupId: BigInt(id) } })).toBe(2);
    await scim.patch(`/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "Remove", path: "members", value: [{ value: ada.body.id }] }, { op: "Replace", path: "displayName", value: "Platform" }] });
    const read = await scim.get(`/Groups/${id}`);
    expect(read.body).toMatchObject({ displayName: "Platform", externalId: "g-1", members: [{ value: bob.body.id }] });
    const lean = await scim.get(`/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "platform"')}`);
    expect(lean.body.totalResults).toBe(1);
    expect((lean.body.Resources as Record<string, unknown>[])[0]!.members).toBeUndefined();
    const events = await db().auditEvent.findMany({ where: { tenantId: tenant.id, action: "member.group_granted" } });
    expect(events.every((event) => event.actorTokenId !== null)).toBe(true);
  });

  it("takes Okta's PUT and PATCH remove with a value filter path, and deletes", async () => {
    const { scim } = await scene();
    const ada = await scim.post("/Users", entraUser());
    const group = await scim.post("/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Okta group", members: [{ value: ada.body.id, display: "Ada" }] });
    const id = group.body.id as string;
    const removed = await scim.patch(`/Groups/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "remove", path: `members[value eq "${ada.body.id as string}"]` }] });
    expect(removed.status).toBe(200);
    expect(await db().memberGroup.count({ where: { groupId: BigInt(id) } })).toBe(0);
    const put = await scim.put(`/Groups/${id}`, { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], id, displayName: "Okta group", members: [{ value: ada.body.id }] });
    expect(put.body.members).toEqual([expect.objectContaining({ value: ada.body.id })]);
    expect((await scim.delete(`/Groups/${id}`)).status).toBe(204);
    expect((await scim.get(`/Groups/${id}`)).status).toBe(404);
  });

  it("refuses members of another organisation", async () => {
    const { scim } = await scene();
    const other = await createTenant();
    const outsider = await createMember(other.id);
    const group = await scim.post("/Groups", { displayName: "Mixed", members: [{ value: outsider.id.toString() }] });
    expect(group.body).toMatchObject({ status: "400", scimType: "invalidValue" });
  });
});

describe("the SCIM request log", () => {
  it("keeps method, resource, status and scimType per token, no bodies", async () => {
    const { token, scim } = await scene();
    await scim.post("/Users", entraUser({ password: "secret-value-123" }));
    await scim.get(`/Users?filter=${encodeURIComponent("nosuch eq 1")}`);
    const rows = await db().scimRequest.findMany({ where: { apiTokenId: token.id }, orderBy: { id: "asc" } });
    expect(rows.map((row) => [row.method, row.resourceType, row.status, row.scimType])).toEqual([
      ["POST", "Users", 201, null],
      ["GET", "Users", 400, "invalidFilter"],
    ]);
    expect(JSON.stringify(rows, (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value))).not.toContain("secret-value-123");
  });
});

describe("Settings → Provisioning", () => {
  it("admins read and change the settings and see their own organisation's requests only; members are refused", async () => {
    const { createContextForSessionId } = await import("@/server/trpc/context");
    const { createCaller } = await import("@/server/trpc/root");
    const { createSignedInMember } = await import("../support/factories");
    const { tenant, token, scim } = await scene();
    await scim.get("/Users?filter=bad");
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const member = await createSignedInMember(tenant.id);
    const adminCaller = createCaller(await createContextForSessionId(admin.sessionId));
    const memberCaller = createCaller(await createContextForSessionId(member.sessionId));
    expect((await adminCaller.scim.settings()).baseUrl).toMatch(/\/scim\/v2$/);
    await adminCaller.scim.updateSettings({ deleteAction: "resign", createDepartments: true });
    expect(await adminCaller.scim.settings()).toMatchObject({ deleteAction: "resign", createDepartments: true });
    const log = await adminCaller.scim.recentRequests({});
    expect(log).toEqual([expect.objectContaining({ id: token.id.toString(), errors: 1, requests: [expect.objectContaining({ status: 400, scimType: "invalidFilter" })] })]);
    await expect(memberCaller.scim.settings()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(memberCaller.scim.updateSettings({ deleteAction: "delete", createDepartments: false })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const other = await createTenant();
    const otherAdmin = await createSignedInMember(other.id, { role: "admin" });
    const otherCaller = createCaller(await createContextForSessionId(otherAdmin.sessionId));
    expect(await otherCaller.scim.recentRequests({ tokenId: token.id.toString() })).toEqual([]);
    expect((await otherCaller.scim.settings()).deleteAction).toBe("disable");
  });
});
