import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createTenant } from "../support/factories";
import { createScimToken, entraUser, scimClient } from "../support/scim-client";

// Issue 16, finishing: RFC 7644 §3.6, after DELETE the service provider
// returns 404 for every operation on the resource and leaves it out of
// lists, even when the organisation's setting keeps the Tenure member
// (disabled or resigned). A later POST of the same userName brings the same
// member back through the lifecycle.

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function scene(deleteAction: "disable" | "resign" | "delete") {
  const tenant = await createTenant();
  await db().scimSettings.create({ data: { tenantId: tenant.id, deleteAction } });
  const token = await createScimToken(tenant.id, { name: "Okta" });
  const scim = scimClient(token.token);
  const user = entraUser();
  const created = await scim.post("/Users", user);
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  expect((await scim.delete(`/Users/${id}`)).status).toBe(204);
  return { tenant, scim, user, id };
}

const byUserName = (userName: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

describe("a user DELETEd via SCIM stays gone for SCIM", () => {
  for (const deleteAction of ["disable", "resign"] as const) {
    it(`answers 404 to GET, PUT, PATCH and DELETE and leaves it out of filters and lists (setting: ${deleteAction})`, async () => {
      const { scim, user, id } = await scene(deleteAction);
      const member = await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } });
      expect(member.state).toBe(deleteAction === "disable" ? "disabled" : "resigned");
      expect(member.deletedAt).toBeNull();

      expect((await scim.get(`/Users/${id}`)).body).toMatchObject({ status: "404" });
      expect((await scim.put(`/Users/${id}`, { ...user, title: "Back" })).status).toBe(404);
      expect((await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: true }] })).status).toBe(404);
      expect((await scim.delete(`/Users/${id}`)).status).toBe(404);
      expect((await scim.get(byUserName(user.userName))).body).toMatchObject({ totalResults: 0, Resources: [] });
      expect((await scim.get(`/Users?filter=${encodeURIComponent(`id eq "${id}"`)}`)).body).toMatchObject({ totalResults: 0 });
      const all = await scim.get("/Users?count=1000");
      expect((all.body.Resources as { id: string }[]).map((resource) => resource.id)).not.toContain(id);
      // The 404s changed nothing: the member is as the DELETE left it.
      expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).state).toBe(member.state);
    });
  }

  it("a later POST of the same userName brings the same member back, enabled through the lifecycle (audited as the token), not a duplicate", async () => {
    const { tenant, scim, user, id } = await scene("resign");
    const again = await scim.post("/Users", { ...user, title: "Rehired" });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id, userName: user.userName, active: true, title: "Rehired" });
    expect(again.headers.get("location")).toContain(`/Users/${id}`);
    expect(await db().user.count({ where: { tenantId: tenant.id, email: user.emails[0]!.value } })).toBe(1);
    const member = await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(member.state).toBe("active");
    const events = await db().auditEvent.findMany({ where: { targetId: member.id, action: { in: ["member.resign", "member.enable"] } }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["member.resign", "member.enable"]);
    expect(events.every((event) => event.actorTokenId !== null)).toBe(true);
    expect((await scim.get(byUserName(user.userName))).body).toMatchObject({ totalResults: 1 });
    expect((await scim.get(`/Users/${id}`)).status).toBe(200);
  });

  it("a POST that comes back with active false revives the record but leaves the member disabled", async () => {
    const { scim, user, id } = await scene("disable");
    const again = await scim.post("/Users", { ...user, active: false });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ id, active: false });
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).state).toBe("disabled");
  });

  it("with the recycle-bin setting, a POST of the same userName is 409 uniqueness until an administrator restores or erases the member", async () => {
    const { tenant, scim, user, id } = await scene("delete");
    expect((await scim.get(`/Users/${id}`)).status).toBe(404);
    const again = await scim.post("/Users", user);
    expect(again.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect(await db().user.count({ where: { tenantId: tenant.id, email: user.emails[0]!.value } })).toBe(1);
  });

  it("another organisation's token cannot see or revive it", async () => {
    const { user, id } = await scene("disable");
    const stranger = await createTenant();
    const theirs = scimClient((await createScimToken(stranger.id)).token);
    expect((await theirs.get(`/Users/${id}`)).status).toBe(404);
    const created = await theirs.post("/Users", user);
    expect(created.status).toBe(201);
    expect(created.body.id).not.toBe(id);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).state).toBe("disabled");
  });
});
