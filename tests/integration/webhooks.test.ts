import type { TRPCError } from "@trpc/server";
import { Webhook } from "standardwebhooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { PrismaClient } from "@/server/db/generated/client";
import { serverEnv } from "@/server/env";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { changePassword } from "@/server/auth/change-password";
import { deliveryJobKey } from "@/server/audit/webhook-outbox";
import { AUTO_DISABLE_MIN_FAILURES, deliverWebhook, MAX_ATTEMPTS, RETRY_DELAYS_SECONDS } from "@/server/webhooks/deliver-webhook";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";
import { makeJobsDue, runDueJobs, scheduledJob } from "../support/lifecycle";
import { createWebhookEndpointRow, startWebhookReceiver } from "../support/webhooks";

// Issue 15, item 6: signed webhooks. A real receiver on 127.0.0.1 gets the
// events through the real job; the standardwebhooks library (not our code)
// verifies every signature. Retries, replay, rotation, auto-disable with its
// alert, tenant isolation, and no secret in any payload.

const client = { ipAddress: "198.51.100.61", userAgent: "vitest" };
const receivers: Awaited<ReturnType<typeof startWebhookReceiver>>[] = [];
afterAll(async () => {
  await Promise.all(receivers.map((receiver) => receiver.close()));
});

async function receiver(options: Parameters<typeof startWebhookReceiver>[0] = {}) {
  const started = await startWebhookReceiver(options);
  receivers.push(started);
  return started;
}

async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner", password: TEST_PASSWORD });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  return {
    tenant,
    owner: owner.member,
    ownerSessionId: owner.sessionId,
    ownerCaller: createCaller(await createContextForSessionId(owner.sessionId, client)),
    adminCaller: createCaller(await createContextForSessionId(admin.sessionId, client)),
  };
}

const newMember = (name: string) => ({
  firstName: "Ada",
  lastName: name,
  username: `ada.${name}.${Math.random().toString(36).slice(2, 8)}`,
  email: `ada.${name}.${Math.random().toString(36).slice(2, 8)}@example.test`,
  country: "GB",
});

type TPayload = { type: string; timestamp: string; data: Record<string, unknown> & { member?: { id: string; username: string }; changes?: Record<string, unknown>; changedFields?: string[] } };

function verified(secret: string, request: { headers: Record<string, unknown>; body: string }): TPayload {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
  return new Webhook(secret).verify(request.body, headers) as TPayload;
}

describe("delivery", () => {
  it("a member created in the console reaches the subscribed endpoint, signed per Standard Webhooks (the library verifies it)", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { id: endpointId, secret } = await s.ownerCaller.webhooks.create({ url: hooks.url, description: "SIEM", eventTypes: ["member.created"] });
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    const { id: memberId } = await s.ownerCaller.members.create(newMember("created"));
    await runDueJobs();

    expect(hooks.received).toHaveLength(1);
    const payload = verified(secret, hooks.received[0]!);
    expect(payload.type).toBe("member.created");
    expect(payload.data.member?.id).toBe(memberId);
    expect(payload.data.changedFields).toContain("username");
    const message = await db().webhookMessage.findFirstOrThrow({ where: { tenantId: s.tenant.id } });
    expect(hooks.received[0]!.headers["webhook-id"]).toBe(message.webhookId);
    // A tampered body does not verify.
    expect(() => verified(secret, { ...hooks.received[0]!, body: hooks.received[0]!.body.replace("created", "updated") })).toThrow();

    const log = await s.adminCaller.webhooks.log({ endpointId });
    expect(log.items).toMatchObject([{ ok: true, responseStatus: 200, attempt: 1, eventType: "member.created", deliveryStatus: "delivered", webhookId: message.webhookId }]);
    expect((await s.adminCaller.webhooks.get({ endpointId })).lastAttemptOk).toBe(true);
  });

  it("an event type the endpoint does not subscribe to, or a disabled endpoint, gets nothing; nor does an organisation without endpoints pay with messages", async () => {
    const s = await scene();
    const hooks = await receiver();
    await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.disabled"]);
    const disabled = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    await db().webhookEndpoint.update({ where: { id: disabled.id }, data: { enabled: false, disabledReason: "owner" } });
    await s.ownerCaller.members.create(newMember("unsubscribed"));
    await runDueJobs();
    expect(hooks.received).toHaveLength(0);
    expect(await db().webhookMessage.count({ where: { tenantId: s.tenant.id } })).toBe(0);
  });

  it("another organisation's events never reach this organisation's endpoint", async () => {
    const s = await scene();
    const other = await scene();
    const hooks = await receiver();
    const mine = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    await other.ownerCaller.members.create(newMember("elsewhere"));
    await s.ownerCaller.members.create(newMember("here"));
    await runDueJobs();
    expect(hooks.received).toHaveLength(1);
    const payload = verified(mine.secret, hooks.received[0]!);
    expect(payload.data.organisationId).toBe(s.tenant.id.toString());
    expect(await db().webhookDelivery.count({ where: { endpointId: mine.id, tenantId: { not: s.tenant.id } } })).toBe(0);
  });

  it("a password change is a member.password_changed event with no password data at all", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { secret } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.password_changed"]);
    const newPassword = "a brand new password for webhooks 1";
    await changePassword(db(), { tenantId: s.tenant.id, memberId: s.owner.id, sessionId: s.ownerSessionId }, { currentPassword: TEST_PASSWORD, newPassword, confirmation: newPassword });
    await runDueJobs();
    expect(hooks.received).toHaveLength(1);
    const payload = verified(secret, hooks.received[0]!);
    expect(payload.type).toBe("member.password_changed");
    expect(payload.data.changes).toEqual({});
    expect(payload.data.changedFields).toEqual([]);
    const body = hooks.received[0]!.body;
    const hash = (await db().user.findUniqueOrThrow({ where: { id: s.owner.id } })).passwordHash!;
    for (const secretText of [newPassword, TEST_PASSWORD, hash, "argon2", "passwordExpiresAt", "password_hash"]) expect(body).not.toContain(secretText);
  });
});

describe("a bulk action", () => {
  it("disabling 200 members makes 200 signed member.disabled events, written set-based in the action's transaction", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { id: endpointId, secret } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.disabled"]);
    const members = [];
    for (let index = 0; index < 200; index += 1) members.push(await createMember(s.tenant.id, { password: null }));

    await s.ownerCaller.lifecycle.run({ action: "disable", memberIds: members.map((member) => member.id.toString()), reason: "Bulk" });
    expect(await db().webhookDelivery.count({ where: { endpointId } })).toBe(200);
    const events = await db().auditEvent.findMany({ where: { tenantId: s.tenant.id, action: "member.disable" }, select: { id: true } });
    const messages = await db().webhookMessage.findMany({ where: { tenantId: s.tenant.id }, select: { auditEventId: true, eventType: true } });
    expect(messages.map((message) => message.auditEventId).sort()).toEqual(events.map((event) => event.id).sort());
    expect(new Set(messages.map((message) => message.eventType))).toEqual(new Set(["member.disabled"]));

    await runDueJobs();
    expect(hooks.received).toHaveLength(200);
    const disabled = new Set(hooks.received.map((request) => verified(secret, request).data.member?.id));
    expect(disabled).toEqual(new Set(members.map((member) => member.id.toString())));
    expect(verified(secret, hooks.received[0]!).data.changes).toMatchObject({ state: { before: "active", after: "disabled" }, reason: { after: "Bulk" } });
  }, 120_000);
});

describe("the cost of webhooks to a bulk action", () => {
  it("is the same few statements for 10 members as for 100 (set-based), and one probe for an organisation without endpoints", async () => {
    const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: serverEnv().DATABASE_URL }), log: [{ emit: "event", level: "query" }] });
    const statements: string[] = [];
    logged.$on("query", (event) => statements.push(event.query));
    try {
      const webhookStatementsOf = async (count: number, subscribed: boolean) => {
        const s = await scene();
        if (subscribed) await createWebhookEndpointRow(s.tenant.id, "https://hooks.example.test/bulk", ["member.locked"]);
        const members = [];
        for (let index = 0; index < count; index += 1) members.push(await createMember(s.tenant.id, { password: null }));
        statements.length = 0;
        const actor = { tenantId: s.tenant.id, memberId: s.owner.id, sysAdmin: s.owner.sysAdmin };
        await runLifecycleAction(logged, actor, { action: "lock", memberIds: members.map((member) => member.id.toString()), reason: "Bulk" });
        expect(await db().webhookDelivery.count({ where: { tenantId: s.tenant.id } })).toBe(subscribed ? count : 0);
        return statements.filter((statement) => /webhook_|graphile_worker\.add_jobs/.test(statement)).length;
      };
      const small = await webhookStatementsOf(10, true);
      const large = await webhookStatementsOf(100, true);
      expect(large).toBe(small);
      expect(large).toBeLessThanOrEqual(3);
      expect(await webhookStatementsOf(10, false)).toBe(1);
    } finally {
      await logged.$disconnect();
    }
  }, 120_000);
});

describe("retries", () => {
  it("a receiver that answers 500 gets the same message again on schedule, then it is delivered; the log shows both attempts", async () => {
    const s = await scene();
    const hooks = await receiver({ statuses: [500] });
    const { id: endpointId, secret } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    // Earlier tests' jobs first: the run below must not last past the retry's 5 s delay, or it would run the retry too.
    await runDueJobs();
    await s.ownerCaller.members.create(newMember("retried"));
    await runDueJobs();

    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId } });
    expect(delivery).toMatchObject({ status: "pending", attempts: 1 });
    const next = await scheduledJob(deliveryJobKey(delivery.id));
    // The second attempt waits its delay (5 s), measured from the end of the first.
    const first = await db().webhookDeliveryAttempt.findFirstOrThrow({ where: { deliveryId: delivery.id } });
    expect(next!.run_at.getTime() - first.requestedAt.getTime()).toBeGreaterThanOrEqual(RETRY_DELAYS_SECONDS[0] * 1000);
    expect(delivery.nextAttemptAt!.getTime()).toBe(next!.run_at.getTime());

    await makeJobsDue(deliveryJobKey(delivery.id));
    await runDueJobs();
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[1]!.headers["webhook-id"]).toBe(hooks.received[0]!.headers["webhook-id"]);
    expect(verified(secret, hooks.received[1]!).type).toBe("member.created");
    const log = await s.adminCaller.webhooks.log({ endpointId: endpointId.toString() });
    expect(log.items.map((entry) => [entry.attempt, entry.responseStatus, entry.ok])).toEqual([
      [2, 200, true],
      [1, 500, false],
    ]);
    expect(log.items[1]!.responseExcerpt).toBe("receiver says 500");
    expect((await s.adminCaller.webhooks.log({ endpointId: endpointId.toString(), show: "failed" })).items).toHaveLength(1);
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "delivered", attempts: 2, nextAttemptAt: null });
  }, 60_000);

  it("the schedule spans more than 24 hours, and a message whose attempts all fail ends as failed", async () => {
    expect(RETRY_DELAYS_SECONDS.reduce((sum, delay) => sum + delay, 0)).toBeGreaterThan(24 * 3600);
    const s = await scene();
    const hooks = await receiver({ statuses: Array.from({ length: MAX_ATTEMPTS }, () => 503) });
    const { id: endpointId } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    await s.ownerCaller.members.create(newMember("exhausted"));
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId } });
    // Each attempt a little later than the one before; far apart enough that the endpoint is not yet a day old in failure at the 7th.
    let now = Date.now();
    const outcomes = [];
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      outcomes.push(await deliverWebhook(db(), delivery.id, { now: new Date(now) }));
      now += 60_000;
    }
    expect(outcomes.slice(0, -1).every((outcome) => outcome === "failed, retry scheduled")).toBe(true);
    expect(outcomes.at(-1)).toBe("failed, retries exhausted");
    expect(await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "failed", attempts: MAX_ATTEMPTS });
    expect(hooks.received).toHaveLength(MAX_ATTEMPTS);
  });

  it("a redirect is not followed and counts as a failure; an unreachable endpoint is logged as such", async () => {
    const s = await scene();
    const hooks = await receiver({ statuses: [302] });
    const { id: endpointId } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    const closed = await receiver();
    await closed.close();
    const { id: deadId } = await createWebhookEndpointRow(s.tenant.id, closed.url, ["member.created"]);
    await s.ownerCaller.members.create(newMember("redirected"));
    await runDueJobs();
    const [redirected] = (await s.adminCaller.webhooks.log({ endpointId: endpointId.toString() })).items;
    expect(redirected).toMatchObject({ ok: false, responseStatus: 302, error: "Redirects are not followed" });
    const [dead] = (await s.adminCaller.webhooks.log({ endpointId: deadId.toString() })).items;
    expect(dead).toMatchObject({ ok: false, responseStatus: null });
    expect(dead!.error).toMatch(/Could not connect/);
  });
});

describe("auto-disable", () => {
  it("an endpoint that failed every attempt for a day is disabled, its owners alerted, and the schedule stops", async () => {
    const s = await scene();
    const hooks = await receiver({ statuses: Array.from({ length: 20 }, () => 500) });
    const { id: endpointId } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    await s.ownerCaller.members.create(newMember("failing"));
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId } });
    const start = Date.now();
    const hour = 3600_000;
    // Five failures within the day: still enabled.
    for (let attempt = 0; attempt < AUTO_DISABLE_MIN_FAILURES; attempt += 1) await deliverWebhook(db(), delivery.id, { now: new Date(start + attempt * hour) });
    expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).enabled).toBe(true);
    // The next failure a day after the first: disabled.
    await deliverWebhook(db(), delivery.id, { now: new Date(start + 24 * hour + 1000) });
    const endpoint = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } });
    expect(endpoint).toMatchObject({ enabled: false, disabledReason: "failing" });

    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantId: s.tenant.id, action: "webhook_endpoint.auto_disabled" } });
    expect(event.actorId).toBeNull();
    await runDueJobs();
    const notification = await db().notification.findFirstOrThrow({ where: { tenantId: s.tenant.id, auditEventId: event.id } });
    expect(notification).toMatchObject({ recipientId: s.owner.id, eventClass: "webhook_disabled" });
    expect(await db().outboxMail.count({ where: { tenantId: s.tenant.id, kind: "alert", userId: s.owner.id } })).toBe(1);

    // The pending retry now stops; new events are not even queued for it.
    await makeJobsDue(deliveryJobKey(delivery.id));
    const before = hooks.received.length;
    await s.ownerCaller.members.create(newMember("after-disable"));
    await runDueJobs();
    expect(hooks.received).toHaveLength(before);
    expect(await db().webhookDelivery.count({ where: { endpointId } })).toBe(1);
    expect((await db().webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).status).toBe("failed");

    // Enabled again by an owner: its health starts afresh.
    await s.ownerCaller.webhooks.setEnabled({ endpointId: endpointId.toString(), enabled: true });
    expect(await db().webhookEndpoint.findUniqueOrThrow({ where: { id: endpointId } })).toMatchObject({ enabled: true, consecutiveFailures: 0, failingSince: null, disabledReason: null });
  });
});

describe("rotation and replay", () => {
  it("after a rotation both the new and the old secret verify until the overlap ends; then only the new one signs", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { id: endpointId, secret: oldSecret } = await s.ownerCaller.webhooks.create({ url: hooks.url, description: "", eventTypes: ["member.created"] });
    const { secret: newSecret, previousValidUntil } = await s.ownerCaller.webhooks.rotateSecret({ endpointId });
    expect(newSecret).not.toBe(oldSecret);
    expect(previousValidUntil.getTime() - Date.now()).toBeGreaterThan(23 * 3600_000);
    expect((await s.adminCaller.webhooks.get({ endpointId })).previousSecretValidUntil).toEqual(previousValidUntil);

    await s.ownerCaller.members.create(newMember("rotated"));
    await runDueJobs();
    const during = hooks.received[0]!;
    expect(String(during.headers["webhook-signature"]).split(" ")).toHaveLength(2);
    expect(verified(newSecret, during).type).toBe("member.created");
    expect(verified(oldSecret, during).type).toBe("member.created");

    await db().webhookEndpoint.update({ where: { id: BigInt(endpointId) }, data: { previousSecretExpiresAt: new Date(Date.now() - 1000) } });
    await s.ownerCaller.members.create(newMember("after-overlap"));
    await runDueJobs();
    const after = hooks.received[1]!;
    expect(verified(newSecret, after).type).toBe("member.created");
    expect(() => verified(oldSecret, after)).toThrow();
    // The secret is sealed at rest, and no audit event carries it.
    const row = await db().webhookEndpoint.findUniqueOrThrow({ where: { id: BigInt(endpointId) } });
    expect(row.secretSealed).not.toContain(newSecret.slice(6, 20));
    const trail = JSON.stringify(await db().auditEvent.findMany({ where: { tenantId: s.tenant.id, targetType: "webhook_endpoint" }, select: { changes: true } }));
    expect(trail).not.toContain(newSecret.slice(6));
    expect(trail).not.toContain(oldSecret.slice(6));
  });

  it("a replay sends the same message again with the same webhook-id, and is audited", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { id, secret } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    const endpointId = id.toString();
    await s.ownerCaller.members.create(newMember("replayed"));
    await runDueJobs();
    const [entry] = (await s.adminCaller.webhooks.log({ endpointId })).items;

    await s.adminCaller.webhooks.replay({ endpointId, deliveryId: entry!.deliveryId });
    await runDueJobs();
    expect(hooks.received).toHaveLength(2);
    expect(hooks.received[1]!.headers["webhook-id"]).toBe(hooks.received[0]!.headers["webhook-id"]);
    expect(hooks.received[1]!.body).toBe(hooks.received[0]!.body);
    expect(verified(secret, hooks.received[1]!).type).toBe("member.created");
    const log = (await s.adminCaller.webhooks.log({ endpointId })).items;
    expect(log[0]).toMatchObject({ trigger: "replay", attempt: 2, ok: true });
    expect(await db().auditEvent.count({ where: { tenantId: s.tenant.id, action: "webhook_delivery.replayed" } })).toBe(1);
  });

  it("a test event reaches only the endpoint it was sent to, whatever it subscribes to", async () => {
    const s = await scene();
    const hooks = await receiver();
    const others = await receiver();
    const { id, secret } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.erased"]);
    await createWebhookEndpointRow(s.tenant.id, others.url, ["member.erased"]);
    const { webhookId } = await s.adminCaller.webhooks.sendTest({ endpointId: id.toString() });
    await runDueJobs();
    expect(hooks.received).toHaveLength(1);
    expect(others.received).toHaveLength(0);
    expect(hooks.received[0]!.headers["webhook-id"]).toBe(webhookId);
    expect(verified(secret, hooks.received[0]!)).toMatchObject({ type: "webhook.test", data: { endpointId: id.toString() } });
  });
});

describe("access and sign-in events", () => {
  it("granting and revoking an application are access.granted and access.revoked for the member", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { secret } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["access.granted", "access.revoked"]);
    const member = await createMember(s.tenant.id);
    const application = await s.ownerCaller.access.create({ kind: "application", name: "Payroll" });
    await s.ownerCaller.access.grant({ kind: "application", itemId: application.id, memberIds: [member.id.toString()] });
    await s.ownerCaller.access.revoke({ kind: "application", itemId: application.id, memberId: member.id.toString() });
    await runDueJobs();
    const payloads = hooks.received.map((request) => verified(secret, request)).sort((a, b) => a.timestamp.localeCompare(b.timestamp) || a.type.localeCompare(b.type));
    expect(payloads.map((payload) => payload.type)).toEqual(["access.granted", "access.revoked"]);
    expect(payloads[0]!.data.member?.id).toBe(member.id.toString());
    expect(payloads[0]!.data.changes).toMatchObject({ application: { after: { name: "Payroll" } } });
    expect(payloads[1]!.data.changes).toMatchObject({ application: { before: { name: "Payroll" } } });
  });

  it("an application granted to a department is access.granted for each of its members (inherited access)", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { secret } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["access.granted"]);
    const department = await s.ownerCaller.departments.create({ name: "Engineering", parentId: null });
    const members = [await createMember(s.tenant.id), await createMember(s.tenant.id)];
    for (const member of members) await db().departmentMember.create({ data: { departmentId: BigInt(department.id), userId: member.id } });
    const application = await s.ownerCaller.access.create({ kind: "application", name: "Wiki" });
    await s.ownerCaller.accessGrants.change({ change: "grantToDepartment", departmentId: department.id, kind: "application", itemId: application.id, subtree: false });
    await runDueJobs();
    const payloads = hooks.received.map((request) => verified(secret, request));
    expect(new Set(payloads.map((payload) => payload.data.member?.id))).toEqual(new Set(members.map((member) => member.id.toString())));
    expect(payloads[0]!.data.changes).toMatchObject({ access: { after: [{ kind: "application", name: "Wiki" }] } });
  });
});

describe("who may do what", () => {
  it("admins read and send tests but only owners (after a step-up) manage endpoints; members and strangers get nothing", async () => {
    const s = await scene();
    const member = await createSignedInMember(s.tenant.id);
    const memberCaller = createCaller(await createContextForSessionId(member.sessionId, client));
    const anonymous = createCaller(await createContextForSessionId("no-such-session", client));
    const input = { url: "https://hooks.example.test/tenure", description: "", eventTypes: ["member.created" as const] };
    const code = (promise: Promise<unknown>) => promise.then(() => "OK", (error: TRPCError) => error.code);

    expect(await code(s.adminCaller.webhooks.create(input))).toBe("FORBIDDEN");
    expect(await code(memberCaller.webhooks.list())).toBe("FORBIDDEN");
    expect(await code(anonymous.webhooks.list())).toBe("UNAUTHORIZED");
    const { id } = await s.ownerCaller.webhooks.create(input);
    expect(await code(s.adminCaller.webhooks.rotateSecret({ endpointId: id }))).toBe("FORBIDDEN");
    expect(await code(s.adminCaller.webhooks.setEnabled({ endpointId: id, enabled: false }))).toBe("FORBIDDEN");
    expect(await code(s.adminCaller.webhooks.delete({ endpointId: id }))).toBe("FORBIDDEN");
    expect(await s.adminCaller.webhooks.list()).toHaveLength(1);
    // The list never carries a secret.
    expect(JSON.stringify(await s.adminCaller.webhooks.list())).not.toMatch(/whsec_|secret_sealed|v1\./);

    // A stale proof: the owner must confirm it's them again.
    await db().session.update({ where: { id: s.ownerSessionId }, data: { steppedUpAt: new Date(Date.now() - 10 * 60_000) } });
    expect(await code(s.ownerCaller.webhooks.rotateSecret({ endpointId: id }))).toBe("FORBIDDEN");
  });

  it("another organisation's endpoint and deliveries are unknown here", async () => {
    const s = await scene();
    const other = await scene();
    const theirs = await createWebhookEndpointRow(other.tenant.id, "https://hooks.example.test/theirs", ["member.created"]);
    const code = (promise: Promise<unknown>) => promise.then(() => "OK", (error: TRPCError) => error.code);
    const endpointId = theirs.id.toString();
    expect(await code(s.adminCaller.webhooks.get({ endpointId }))).toBe("NOT_FOUND");
    expect(await code(s.adminCaller.webhooks.log({ endpointId }))).toBe("NOT_FOUND");
    expect(await code(s.adminCaller.webhooks.sendTest({ endpointId }))).toBe("NOT_FOUND");
    expect(await code(s.ownerCaller.webhooks.update({ endpointId, url: "https://evil.example.test/", description: "", eventTypes: ["member.created"] }))).toBe("NOT_FOUND");
    expect(await code(s.ownerCaller.webhooks.rotateSecret({ endpointId }))).toBe("NOT_FOUND");
    expect(await code(s.ownerCaller.webhooks.delete({ endpointId }))).toBe("NOT_FOUND");
    await other.ownerCaller.members.create(newMember("theirs"));
    const delivery = await db().webhookDelivery.findFirstOrThrow({ where: { endpointId: theirs.id } });
    const mine = await createWebhookEndpointRow(s.tenant.id, "https://hooks.example.test/mine", ["member.created"]);
    expect(await code(s.adminCaller.webhooks.replay({ endpointId: mine.id.toString(), deliveryId: delivery.id.toString() }))).toBe("NOT_FOUND");
    expect(await code(s.adminCaller.webhooks.replay({ endpointId, deliveryId: delivery.id.toString() }))).toBe("NOT_FOUND");
    expect((await db().webhookEndpoint.findUniqueOrThrow({ where: { id: theirs.id } })).url).toBe("https://hooks.example.test/theirs");
  });

  it("refuses addresses that are not https (plain http only to this machine), carry credentials, or are too long; and malformed input", async () => {
    const s = await scene();
    const code = (promise: Promise<unknown>) => promise.then(() => "OK", (error: TRPCError) => error.code);
    const create = (url: string) => code(s.ownerCaller.webhooks.create({ url, description: "", eventTypes: ["member.created"] }));
    for (const url of [
      "javascript:alert(1)",
      "file:///etc/passwd",
      "ftp://example.test/x",
      "http://example.test/hooks",
      "http://10.0.0.5/hooks",
      "https://user:pass@example.test/hooks",
      `https://example.test/${"a".repeat(2000)}`,
      "not a url",
      "",
    ]) {
      expect(await create(url), url).toBe("BAD_REQUEST");
    }
    expect(await create("http://127.0.0.1:9/hooks")).toBe("OK");
    expect(await create("https://hooks.example.test/tenure")).toBe("OK");
    expect(await code(s.ownerCaller.webhooks.create({ url: "https://example.test/", description: "", eventTypes: [] }))).toBe("BAD_REQUEST");
    expect(await code(s.ownerCaller.webhooks.create({ url: "https://example.test/", description: "", eventTypes: ["member.password_hash" as never] }))).toBe("BAD_REQUEST");
    expect(await code(s.ownerCaller.webhooks.create({ url: "https://example.test/", description: "x".repeat(100_001), eventTypes: ["member.created"] }))).toBe("BAD_REQUEST");
    expect(await code(s.ownerCaller.webhooks.create({ url: "https://example.test/", description: "", eventTypes: ["member.created"], secret: "whsec_mine" } as never))).toBe("BAD_REQUEST");
    expect(await code(s.adminCaller.webhooks.get({ endpointId: "12345678901234567890123" }))).toBe("BAD_REQUEST");
  });

  it("a parallel burst of test sends gets exactly the organisation's allowance", async () => {
    const s = await scene();
    const hooks = await receiver();
    const { id } = await createWebhookEndpointRow(s.tenant.id, hooks.url, ["member.created"]);
    const results = await Promise.allSettled(Array.from({ length: 25 }, () => s.adminCaller.webhooks.sendTest({ endpointId: id.toString() })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(10);
    const refused = results.filter((result): result is PromiseRejectedResult => result.status === "rejected");
    expect(refused.every((result) => (result.reason as TRPCError).code === "CONFLICT")).toBe(true);
    expect(await db().webhookMessage.count({ where: { tenantId: s.tenant.id } })).toBe(10);
  });
});
