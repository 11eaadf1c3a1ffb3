import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ConflictError } from "@/server/errors";
import { grantToMembers, revokeFromMember, setRolePolicies } from "@/server/access/grant-access";
import { listMemberAccess } from "@/server/access/list-member-access";
import { createCatalogItem, deleteCatalogItem, listCatalog, updateCatalogItem } from "@/server/access/manage-catalog";
import { ACCESS_KINDS } from "@/server/access/schemas";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

async function setup() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  return { tenant, admin, actor: { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin }, caller: createCaller(await createContextForSessionId(sessionId)) };
}

describe("the access catalogue", () => {
  it("creates, renames and deletes every kind, with audit events and case-insensitive unique names", async () => {
    const { actor, tenant } = await setup();
    for (const kind of ACCESS_KINDS) {
      const extra = kind === "policy" ? { permission: "Members:Read" } : {};
      const item = await createCatalogItem(db(), actor, { kind, name: "Helpdesk", description: "First line", ...extra });
      if (kind === "policy") expect(item.permission).toBe("members:read");
      const duplicate = await createCatalogItem(db(), actor, { kind, name: "HELPDESK", ...(kind === "policy" ? { permission: "other:thing" } : {}) }).catch((caught: unknown) => caught);
      expect(duplicate).toBeInstanceOf(ConflictError);
      expect((duplicate as ConflictError).fieldErrors).toHaveProperty("name");
      await updateCatalogItem(db(), actor, { kind, itemId: item.id.toString(), name: "Service desk", description: "", ...extra });
      expect((await listCatalog(db(), tenant.id, kind)).map((row) => [row.name, row.description])).toEqual([["Service desk", null]]);
      await deleteCatalogItem(db(), actor, { kind, itemId: item.id.toString() });
      expect(await listCatalog(db(), tenant.id, kind)).toEqual([]);
    }
    const actions = (await db().auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { id: "asc" } })).map((event) => event.action);
    expect(actions.filter((action) => action.endsWith(".created"))).toEqual(["role.created", "group.created", "application.created", "policy.created"]);
    expect(actions.filter((action) => action.endsWith(".deleted"))).toHaveLength(4);
  });

  it("validates permissions and keeps them unique", async () => {
    const { actor, caller } = await setup();
    await expect(caller.access.create({ kind: "policy", name: "Bad", permission: "no colon" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.access.create({ kind: "policy", name: "Missing" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(caller.access.create({ kind: "role", name: "Odd", permission: "a:b" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await createCatalogItem(db(), actor, { kind: "policy", name: "Read members", permission: "members:read" });
    const error = await createCatalogItem(db(), actor, { kind: "policy", name: "Another", permission: "members:read" }).catch((caught: unknown) => caught);
    expect((error as ConflictError).fieldErrors).toEqual({ permission: ["A policy with this permission exists"] });
  });
});

describe("granting access", () => {
  it("grants to many members set-wise, skips those who hold it, revokes one, and shows effective permissions", async () => {
    const { actor, tenant, caller } = await setup();
    const [ada, bob] = [await createMember(tenant.id), await createMember(tenant.id)];
    const role = await createCatalogItem(db(), actor, { kind: "role", name: "Support" });
    const read = await createCatalogItem(db(), actor, { kind: "policy", name: "Read members", permission: "members:read" });
    const tickets = await createCatalogItem(db(), actor, { kind: "policy", name: "Tickets", permission: "tickets:*" });
    const app = await createCatalogItem(db(), actor, { kind: "application", name: "Helpdesk app" });
    await setRolePolicies(db(), actor, { roleId: role.id.toString(), policyIds: [read.id.toString(), tickets.id.toString()] });

    expect(await grantToMembers(db(), actor, { kind: "role", itemId: role.id.toString(), memberIds: [ada.id.toString()] })).toEqual({ granted: 1, alreadyHeld: 0, refused: [] });
    expect(await caller.access.grant({ kind: "role", itemId: role.id.toString(), memberIds: [ada.id.toString(), bob.id.toString()] })).toEqual({ granted: 1, alreadyHeld: 1, refused: [] });
    await grantToMembers(db(), actor, { kind: "application", itemId: app.id.toString(), memberIds: [ada.id.toString()] });
    await grantToMembers(db(), actor, { kind: "policy", itemId: read.id.toString(), memberIds: [bob.id.toString()] });

    const access = await listMemberAccess(db(), tenant.id, ada.id);
    expect(access.roles.map((grant) => grant.name)).toEqual(["Support"]);
    expect(access.applications.map((grant) => grant.name)).toEqual(["Helpdesk app"]);
    expect(access.permissions).toEqual(["members:read", "tickets:*"]);
    expect((await listCatalog(db(), tenant.id, "role"))[0]).toMatchObject({ memberCount: 2, policies: [{ permission: "members:read" }, { permission: "tickets:*" }] });

    await revokeFromMember(db(), actor, { kind: "role", itemId: role.id.toString(), memberId: ada.id.toString() });
    expect((await listMemberAccess(db(), tenant.id, ada.id)).permissions).toEqual([]);
    await expect(revokeFromMember(db(), actor, { kind: "role", itemId: role.id.toString(), memberId: ada.id.toString() })).rejects.toThrow(/does not hold/);

    const events = await db().auditEvent.findMany({ where: { targetType: "member", targetId: ada.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["member.role_granted", "member.application_granted", "member.role_revoked"]);
  });

  it("deleting a role removes every grant of it, and says how many", async () => {
    const { actor, tenant } = await setup();
    const members = [await createMember(tenant.id), await createMember(tenant.id)];
    const role = await createCatalogItem(db(), actor, { kind: "role", name: "Temp" });
    await grantToMembers(db(), actor, { kind: "role", itemId: role.id.toString(), memberIds: members.map((member) => member.id.toString()) });
    expect(await deleteCatalogItem(db(), actor, { kind: "role", itemId: role.id.toString() })).toEqual({ revokedGrants: 2 });
    expect(await db().memberRole.count({ where: { roleId: role.id } })).toBe(0);
  });

  it("never crosses organisations", async () => {
    const { actor } = await setup();
    const { caller: outsider, tenant: otherTenant } = await setup();
    const role = await createCatalogItem(db(), actor, { kind: "role", name: "Mine" });
    const stranger = await createMember(otherTenant.id);
    await expect(outsider.access.grant({ kind: "role", itemId: role.id.toString(), memberIds: [stranger.id.toString()] })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(grantToMembers(db(), actor, { kind: "role", itemId: role.id.toString(), memberIds: [stranger.id.toString()] })).rejects.toThrow(/no longer exist/);
    await expect(outsider.access.ofMember({ memberId: "1" })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });
});
