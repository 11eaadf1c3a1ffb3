import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { auditEventsPage } from "@/server/audit/list-audit-events";
import { createMember, createTenant, uniqueMobile } from "../support/factories";
import { createScimToken, entraUser, scimClient } from "../support/scim-client";

// Issue 16, items 2-3: the SCIM 2.0 server's Users endpoint, driven as Entra
// and Okta drive it (request shapes from their public documentation).

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async function scene() {
  const tenant = await createTenant();
  const token = await createScimToken(tenant.id, { name: "Entra" });
  return { tenant, token, scim: scimClient(token.token) };
}


describe("SCIM Users under a burst", () => {
  it("50 parallel POSTs of one userName create one member: one 201, the rest 409 uniqueness, never a 500", async () => {
    const { tenant, scim } = await scene();
    const user = entraUser();
    const answers = await Promise.all(Array.from({ length: 50 }, () => scim.post("/Users", user)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(1);
    expect(statuses.filter((status) => status !== 201 && status !== 409 && status !== 429)).toEqual([]);
    expect(await db().user.count({ where: { tenantId: tenant.id, email: user.emails[0]!.value } })).toBe(1);
  });
});

describe("SCIM Users", () => {
  it("creates a member from Entra's POST: 201, Location, ETag, scim+json, the record and its identity", async () => {
    const { tenant, scim } = await scene();
    const mobile = uniqueMobile();
    const user = entraUser({ title: "Engineer", phoneNumbers: [{ type: "mobile", value: mobile }], [ENTERPRISE]: { employeeNumber: "E-1" } });
    const created = await scim.post("/Users", user);
    expect(created.body.detail).toBeUndefined();
    expect(created.status).toBe(201);
    expect(created.headers.get("content-type")).toContain("application/scim+json");
    expect(created.headers.get("location")).toMatch(new RegExp(`^https?://[^/]+/scim/v2/Users/${created.body.id as string}$`));
    expect(created.headers.get("location")).toBe((created.body.meta as { location: string }).location);
    expect(created.headers.get("etag")).toBe((created.body.meta as { version: string }).version);
    expect(created.body).toMatchObject({
      userName: user.userName,
      externalId: user.externalId,
      active: true,
      title: "Engineer",
      name: { givenName: "Ada", familyName: "Lovelace" },
      emails: [{ value: user.userName, type: "work", primary: true }],
      phoneNumbers: [{ value: mobile, type: "mobile" }],
      [ENTERPRISE]: { employeeNumber: "E-1" },
    });
    const member = await db().user.findUniqueOrThrow({ where: { id: BigInt(created.body.id as string) } });
    expect(member).toMatchObject({ tenantId: tenant.id, username: user.userName.split("@")[0], email: user.userName, source: "scim", firstName: "Ada" });
    const trail = await auditEventsPage(db(), tenant.id, { limit: 5, action: "member.created" });
    expect(trail.items[0]!.actorName).toBe("API token Entra");
  });

  it("finds a member by filter=userName eq (Okta's and Entra's first request), case-insensitively, and lists in pages", async () => {
    const { scim } = await scene();
    const user = entraUser();
    const created = await scim.post("/Users", user);
    const found = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${user.userName.toUpperCase()}"`)}`);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 1, startIndex: 1, itemsPerPage: 1 });
    expect((found.body.Resources as { id: string }[])[0]!.id).toBe(created.body.id);
    const none = await scim.get(`/Users?filter=${encodeURIComponent('userName eq "nobody@contoso.test"')}`);
    expect(none.body).toMatchObject({ totalResults: 0, Resources: [] });

    for (let index = 0; index < 3; index += 1) await scim.post("/Users", entraUser());
    const page = await scim.get("/Users?startIndex=2&count=2&sortBy=userName&sortOrder=descending");
    expect(page.body).toMatchObject({ totalResults: 4, startIndex: 2, itemsPerPage: 2 });
    const all = await scim.get("/Users?sortBy=userName");
    const names = (all.body.Resources as { userName: string }[]).map((resource) => resource.userName);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
    expect((page.body.Resources as { userName: string }[]).map((r) => r.userName)).toEqual([...names].reverse().slice(1, 3));
  });

  it("filters with every operator, and/or/not and grouping, attribute names in any case", async () => {
    const { scim } = await scene();
    const a = await scim.post("/Users", entraUser({ title: "Engineer", externalId: "alpha-1" }));
    const b = await scim.post("/Users", entraUser({ title: "Designer", externalId: "beta-2", active: false }));
    const ids = async (filter: string) => ((await scim.get(`/Users?filter=${encodeURIComponent(filter)}`)).body.Resources as { id: string }[]).map((r) => r.id).sort();
    expect(await ids('externalId eq "alpha-1"')).toEqual([a.body.id]);
    expect(await ids('EXTERNALID ne "alpha-1"')).toEqual([b.body.id]);
    expect(await ids('title co "sign"')).toEqual([b.body.id]);
    expect(await ids('title sw "eng"')).toEqual([a.body.id]);
    expect(await ids('title ew "ER"')).toEqual([a.body.id, b.body.id].sort());
    expect(await ids("title pr")).toEqual([a.body.id, b.body.id].sort());
    expect(await ids("active eq false")).toEqual([b.body.id]);
    expect(await ids('(title eq "Engineer" or title eq "Designer") and not (externalId eq "beta-2")')).toEqual([a.body.id]);
    expect(await ids('meta.created gt "2000-01-01T00:00:00Z" and meta.lastModified le "2999-01-01T00:00:00Z"')).toEqual([a.body.id, b.body.id].sort());
    expect(await ids('emails[type eq "work" and value co "contoso"]')).toEqual([a.body.id, b.body.id].sort());
    expect(await ids(`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "${a.body.userName as string}"`)).toEqual([a.body.id]);
    expect(await ids('id eq "not-a-number"')).toEqual([]);
  });

  it("answers bad filters, huge nesting and injection-shaped values with a clear 400 invalidFilter, never a crash", async () => {
    const { scim } = await scene();
    await scim.post("/Users", entraUser());
    const answer = (filter: string) => scim.get(`/Users?filter=${encodeURIComponent(filter)}`);
    for (const filter of ['userName eq', 'userName zz "x"', "nosuch eq 1", 'userName eq "open', "(".repeat(10_000) + 'userName eq "x"' + ")".repeat(10_000), `userName eq "${"x".repeat(100_000)}"`, 'meta.created gt "yesterday"']) {
      const response = await answer(filter);
      expect(response.status, filter.slice(0, 40)).toBe(400);
      expect(response.body).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidFilter" });
    }
    const injected = await answer(`userName eq "x' OR '1'='1" or displayName co "%' ; DROP TABLE users; --"`);
    expect(injected.status).toBe(200);
    expect(injected.body.totalResults).toBe(0);
    expect(await db().user.count()).toBeGreaterThan(0);
  });

  it("PATCHes as Entra does: capitalised ops, value filters in paths, no-path objects, \"False\" strings", async () => {
    const { scim, tenant } = await scene();
    const created = await scim.post("/Users", entraUser());
    const id = created.body.id as string;
    const patched = await scim.patch(`/Users/${id}`, {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "ada.new@contoso.test" },
        { op: "Replace", path: "name.familyName", value: "Byron" },
        { op: "Add", path: "title", value: "Countess" },
        { op: "Add", path: `${ENTERPRISE}:employeeNumber`, value: "701984" },
        { op: "replace", value: { "name.givenName": "Augusta", displayName: "Augusta Byron" } },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: { givenName: "Augusta", familyName: "Byron" }, displayName: "Augusta Byron", title: "Countess", emails: [{ value: "ada.new@contoso.test" }], [ENTERPRISE]: { employeeNumber: "701984" } });

    const disabled = await scim.patch(`/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "Replace", path: "active", value: "False" }] });
    expect(disabled.status).toBe(200);
    expect(disabled.body.active).toBe(false);
    const member = await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(member.state).toBe("disabled");
    // Through the lifecycle: a receipt, attributed to the token.
    const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: BigInt(id) } });
    expect(receipt).toMatchObject({ tenantId: tenant.id, actorTokenId: expect.any(BigInt) as unknown });

    const removed = await scim.patch(`/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "remove", path: "title" }] });
    expect(removed.body.title).toBeUndefined();
  });

  it("deactivates as Okta does (PATCH active false without a path, then PUT active true re-enables)", async () => {
    const { scim } = await scene();
    const created = await scim.post("/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      userName: "isaac.newton@okta.test",
      name: { givenName: "Isaac", familyName: "Newton" },
      emails: [{ primary: true, value: "isaac.newton@okta.test", type: "work" }],
      displayName: "Isaac Newton",
      locale: "en-US",
      externalId: "00ujl29u0le5T6Aj10h7",
      groups: [],
      password: "1mz050nq",
      active: true,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const off = await scim.patch(`/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] });
    expect(off.body.active).toBe(false);
    const on = await scim.put(`/Users/${id}`, { ...created.body, active: true });
    expect(on.status).toBe(200);
    expect(on.body.active).toBe(true);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).state).toBe("active");
  });

  it("refuses invalid values naming the SCIM attribute, duplicates as uniqueness, and stale If-Match with 412", async () => {
    const { scim } = await scene();
    const bad = await scim.post("/Users", entraUser({ emails: [{ type: "work", value: "not-an-email" }] }));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ scimType: "invalidValue" });
    expect(bad.body.detail).toContain("emails");
    const noName = await scim.post("/Users", { schemas: [], name: { givenName: "X", familyName: "Y" } });
    expect(noName.body).toMatchObject({ status: "400", scimType: "invalidValue", detail: "userName is required" });

    const user = entraUser();
    const first = await scim.post("/Users", user);
    const again = await scim.post("/Users", { ...user, externalId: "other" });
    expect(again.status).toBe(409);
    expect(again.body.scimType).toBe("uniqueness");

    const id = first.body.id as string;
    const stale = await scim.put(`/Users/${id}`, { ...first.body, title: "x" }, { "if-match": 'W/"1"' });
    expect(stale.status).toBe(412);
    const fresh = await scim.put(`/Users/${id}`, { ...first.body, title: "x" }, { "if-match": first.headers.get("etag")! });
    expect(fresh.status).toBe(200);
  });

  it("returns only the attributes asked for, and never another organisation's members", async () => {
    const { scim } = await scene();
    const created = await scim.post("/Users", entraUser());
    const id = created.body.id as string;
    const some = await scim.get(`/Users/${id}?attributes=userName,name.givenName`);
    expect(Object.keys(some.body).sort()).toEqual(["id", "meta", "name", "schemas", "userName"]);
    expect(some.body.name).toEqual({ givenName: "Ada" });
    const without = await scim.get(`/Users?excludedAttributes=emails,phoneNumbers`);
    expect((without.body.Resources as Record<string, unknown>[])[0]!.emails).toBeUndefined();

    const other = await createTenant();
    const outsider = await createMember(other.id);
    const otherScim = scimClient((await createScimToken(other.id)).token);
    expect((await otherScim.get(`/Users/${id}`)).status).toBe(404);
    expect((await otherScim.put(`/Users/${id}`, created.body)).status).toBe(404);
    expect((await otherScim.patch(`/Users/${id}`, { Operations: [{ op: "replace", value: { active: false } }] })).status).toBe(404);
    expect((await otherScim.delete(`/Users/${id}`)).status).toBe(404);
    expect((await scim.get(`/Users/${outsider.id}`)).status).toBe(404);
    const listed = await otherScim.get("/Users");
    expect((listed.body.Resources as { id: string }[]).map((r) => r.id)).toEqual([outsider.id.toString()]);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).state).toBe("active");
  });
});
