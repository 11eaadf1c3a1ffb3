import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { creationChanges } from "@/server/audit/record-audit-event";
import { profileValues } from "@/server/members/profile-values";
import { ZMemberCreate } from "@/server/members/schemas";
import { bucketExists } from "@/server/rate-limits/token-bucket";
import { createMember, createTenant } from "../support/factories";
import { createScimToken, entraUser, scimClient, scimRequest } from "../support/scim-client";
import { createWebhookEndpointRow } from "../support/webhooks";

// Speed (issue 16): a plain POST /Users is one statement (member, identity,
// audit event) and its token is checked in one more. These tests hold that
// path to what the transactional one did: the same record, event and answer;
// and every case it leaves to the transactional path still behaves as before.

const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

async function scene() {
  const tenant = await createTenant();
  const token = await createScimToken(tenant.id, { name: "Okta" });
  return { tenant, token, scim: scimClient(token.token) };
}

async function writtenFor(tenantId: bigint) {
  return {
    members: await db().user.count({ where: { tenantId } }),
    identities: await db().scimIdentity.count({ where: { tenantId } }),
    events: await db().auditEvent.count({ where: { tenantId } }),
  };
}

describe("POST /Users in one statement", () => {
  it("answers the member as a GET reads it, with one member.created event naming the token and every field from nothing", async () => {
    const { tenant, token, scim } = await scene();
    const user = entraUser({ displayName: undefined, name: { givenName: "Grace", familyName: "Hopper" }, title: "Admiral", [ENTERPRISE]: { employeeNumber: "E-7" } });
    const created = await scim.post("/Users", user);
    expect(created.status).toBe(201);
    const read = await scim.get(`/Users/${created.body.id as string}`);
    expect(created.body).toEqual(read.body);
    expect(created.headers.get("etag")).toBe(read.headers.get("etag"));
    expect(created.body).toMatchObject({ displayName: "Grace Hopper", externalId: user.externalId, [ENTERPRISE]: { employeeNumber: "E-7" } });

    const member = await db().user.findUniqueOrThrow({ where: { id: BigInt(created.body.id as string) } });
    expect(member).toMatchObject({ source: "scim", state: "active", enabled: true, sysAdmin: 0, title: "Admiral" });
    const identity = await db().scimIdentity.findUniqueOrThrow({ where: { userId: member.id } });
    expect(identity).toMatchObject({ apiTokenId: token.id, userName: user.userName, externalId: user.externalId, employeeNumber: "E-7", deprovisionedAt: null });

    const events = await db().auditEvent.findMany({ where: { tenantId: tenant.id, targetId: member.id } });
    expect(events).toHaveLength(1);
    const profile = ZMemberCreate.parse({ username: member.username, firstName: "Grace", lastName: "Hopper", email: user.userName, country: "US", title: "Admiral" });
    expect(events[0]).toMatchObject({
      action: "member.created",
      targetType: "member",
      actorId: null,
      actorTokenId: token.id,
      userAgent: "Microsoft.Identity.Provisioning",
      changes: creationChanges(profileValues({ ...profile, role: "member" }, tenant.nameOrder)),
    });
  });

  it("composes the display name in the organisation's name order", async () => {
    const { tenant, scim } = await scene();
    await db().tenant.update({ where: { id: tenant.id }, data: { nameOrder: "last_first" } });
    const created = await scim.post("/Users", entraUser({ displayName: undefined, name: { givenName: "Yunting", familyName: "Wang" } }));
    expect(created.body).toMatchObject({ displayName: "Wang Yunting" });
  });

  it("a taken email is 409 uniqueness naming it, and writes nothing", async () => {
    const { tenant, scim } = await scene();
    const holder = await createMember(tenant.id);
    const before = await writtenFor(tenant.id);
    const answer = await scim.post("/Users", entraUser({ emails: [{ type: "work", primary: true, value: holder.email }] }));
    expect(answer.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect(answer.body.detail).toContain("email");
    expect(await writtenFor(tenant.id)).toEqual(before);
  });

  it("sets a manager of the organisation, and refuses an unknown one (or another organisation's) naming the attribute, writing nothing", async () => {
    const { tenant, scim } = await scene();
    const boss = await createMember(tenant.id);
    const managed = await scim.post("/Users", entraUser({ [ENTERPRISE]: { manager: { value: boss.id.toString() } } }));
    expect(managed.status).toBe(201);
    expect((managed.body[ENTERPRISE] as { manager: { value: string } }).manager.value).toBe(boss.id.toString());

    const stranger = await createMember((await createTenant()).id);
    const before = await writtenFor(tenant.id);
    for (const manager of [stranger.id.toString(), "999999999999", "not-a-number"]) {
      const answer = await scim.post("/Users", entraUser({ [ENTERPRISE]: { manager: { value: manager } } }));
      expect(answer.body, manager).toMatchObject({ status: "400", scimType: "invalidValue" });
      expect(answer.body.detail).toContain(`${ENTERPRISE}:manager`);
    }
    expect(await writtenFor(tenant.id)).toEqual(before);
  });

  it("still writes the webhook message and delivery of member.created when an endpoint subscribes to it", async () => {
    const { tenant, scim } = await scene();
    const endpoint = await createWebhookEndpointRow(tenant.id, "http://127.0.0.1:9/hooks", ["member.created"]);
    const created = await scim.post("/Users", entraUser());
    expect(created.status).toBe(201);
    const message = await db().webhookMessage.findFirstOrThrow({ where: { tenantId: tenant.id, eventType: "member.created" } });
    expect(JSON.stringify(message.payload)).toContain(created.body.id as string);
    expect(await db().webhookDelivery.count({ where: { endpointId: endpoint.id, messageId: message.id } })).toBe(1);
  });

  it("active false still goes through the lifecycle: disabled with a receipt", async () => {
    const { scim } = await scene();
    const created = await scim.post("/Users", entraUser({ active: false }));
    expect(created.body).toMatchObject({ active: false });
    const id = BigInt(created.body.id as string);
    expect((await db().user.findUniqueOrThrow({ where: { id } })).state).toBe("disabled");
    expect(await db().lifecycleReceipt.count({ where: { userId: id } })).toBe(1);
  });
});

describe("the token check in one statement", () => {
  it("a refused token (unknown, revoked, expired, out of scope) takes nothing from any bucket and notes no use", async () => {
    const { tenant } = await scene();
    const revoked = await createScimToken(tenant.id);
    await db().apiToken.update({ where: { id: revoked.id }, data: { revokedAt: new Date() } });
    const expired = await createScimToken(tenant.id, { expiresAt: new Date(Date.now() - 1000) });
    const reader = await createScimToken(tenant.id, { scopes: ["directory:read"] });
    for (const token of [revoked, expired, reader]) {
      const answer = await scimRequest(token.token, "GET", "/Users");
      expect(answer.status, token.name).toBe(token === reader ? 403 : 401);
      expect(await bucketExists(db(), `api-token:${token.id}`)).toBe(false);
      expect((await db().apiToken.findUniqueOrThrow({ where: { id: token.id } })).lastUsedAt).toBeNull();
    }
    expect((await scimRequest(`${revoked.token}x`, "GET", "/Users")).status).toBe(401);
  });

  it("a token revoked between two requests is refused on the very next one", async () => {
    const { token, scim } = await scene();
    expect((await scim.post("/Users", entraUser())).status).toBe(201);
    const used = await db().apiToken.findUniqueOrThrow({ where: { id: token.id } });
    expect(used.lastUsedAt).not.toBeNull();
    await db().apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    expect((await scim.post("/Users", entraUser())).body).toMatchObject({ status: "401" });
  });

  it("50 parallel POSTs of one userName create one member: one 201, the rest 409 uniqueness, one event", async () => {
    const { tenant, scim } = await scene();
    const user = entraUser();
    const answers = await Promise.all(Array.from({ length: 50 }, () => scim.post("/Users", user)));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(1);
    const refused = answers.filter((answer) => answer.status !== 201);
    expect(refused).toHaveLength(49);
    for (const answer of refused) expect(answer.body).toMatchObject({ status: "409", scimType: "uniqueness" });
    expect(await writtenFor(tenant.id)).toEqual({ members: 1, identities: 1, events: 1 });
  });

  it("a NUL byte in a field or a 1 MB display name is 400 naming the attribute, and writes nothing", async () => {
    const { tenant, scim } = await scene();
    const before = await writtenFor(tenant.id);
    const nul = await scim.post("/Users", entraUser({ userName: "ada\u0000@contoso.test", name: { givenName: "A\u0000da", familyName: "Lovelace" } }));
    expect(nul.status).toBe(400);
    expect(nul.body).toMatchObject({ status: "400" });
    const huge = await scim.post("/Users", entraUser({ displayName: "x".repeat(1024 * 1024) }));
    expect([400, 413]).toContain(huge.status);
    expect(await writtenFor(tenant.id)).toEqual(before);
  });

  it("another organisation's token creates in its own organisation only", async () => {
    const ours = await scene();
    const theirs = await scene();
    const before = await writtenFor(ours.tenant.id);
    const answer = await theirs.scim.post("/Users", entraUser());
    expect(answer.status).toBe(201);
    expect(await writtenFor(ours.tenant.id)).toEqual(before);
    expect(await db().user.count({ where: { tenantId: theirs.tenant.id, id: BigInt(answer.body.id as string) } })).toBe(1);
  });
});
