import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { ALERT_MAILS_PER_CLASS_PER_HOUR, deliverAlerts } from "@/server/alerts/deliver-alerts";
import { countUnreadNotifications } from "@/server/alerts/list-notifications";
import { recordAuditEvent, recordAuditEvents, type TChanges } from "@/server/audit/record-audit-event";
import { completeSignInChallenge, startSignInChallenge } from "@/server/auth/mfa/sign-in-challenge";
import { totpCode, TOTP_PERIOD_SECONDS } from "@/server/auth/mfa/totp";
import type { TSecurityPolicyInput } from "@/server/auth/security-policy-schemas";
import { recordExport } from "@/server/members/export-members";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";

// Issue 12, item 8: alerts. Each event class reaches the right people through
// the real job (graphile-worker), in the console and in the outbox; a retried
// job adds nothing; the actor is never alerted alone; notifications are
// their recipient's only.

const client = { ipAddress: "198.51.100.41", userAgent: "vitest" };
type TTenant = Awaited<ReturnType<typeof createTenant>>;

async function callerOf(sessionId: string) {
  return createCaller(await createContextForSessionId(sessionId, client));
}

/** An organisation with two owners (the first signed in), an admin and a plain member, all signed in. */
async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const otherOwner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  const member = await createSignedInMember(tenant.id);
  return {
    tenant,
    owner: owner.member,
    otherOwner: otherOwner.member,
    admin: admin.member,
    member: member.member,
    ownerCaller: await callerOf(owner.sessionId),
    otherOwnerCaller: await callerOf(otherOwner.sessionId),
    adminCaller: await callerOf(admin.sessionId),
    memberCaller: await callerOf(member.sessionId),
  };
}

const notificationsOf = (tenantId: bigint) =>
  db().notification.findMany({ where: { tenantId }, orderBy: [{ recipientId: "asc" }], select: { recipientId: true, auditEventId: true, eventClass: true, title: true } });
const recipientsOf = async (tenantId: bigint) => (await notificationsOf(tenantId)).map((row) => row.recipientId).sort();
const alertMailsOf = (tenantId: bigint) => db().outboxMail.findMany({ where: { tenantId, kind: "alert" }, orderBy: { userId: "asc" }, select: { userId: true, toAddress: true, subject: true, bodyText: true } });
const sorted = (...ids: bigint[]) => [...ids].sort((a, b) => (a < b ? -1 : 1));

async function setRule(tenantId: bigint, eventClass: string, values: Record<string, unknown>) {
  await db().alertRule.updateMany({ where: { tenantId, eventClass }, data: values });
}

async function policyRole(caller: Awaited<ReturnType<typeof callerOf>>, permissions: string[]) {
  const role = await caller.access.create({ kind: "role", name: `Role ${permissions.join(" ")} ${Math.random()}` });
  const policyIds = [];
  for (const permission of permissions) policyIds.push((await caller.access.create({ kind: "policy", name: `Policy ${permission} ${Math.random()}`, permission })).id);
  await caller.access.setRolePolicies({ roleId: role.id, policyIds });
  return role;
}

describe("sensitive grants", () => {
  it("a role carrying a watched permission, granted to a member, alerts the owners in the console and by mail, linking to its audit event", async () => {
    const s = await scene();
    const role = await policyRole(s.ownerCaller, ["members:delete"]);
    await runDueJobs();
    await db().notification.deleteMany({ where: { tenantId: s.tenant.id } });
    await db().outboxMail.deleteMany({ where: { tenantId: s.tenant.id } });

    await s.ownerCaller.access.grant({ kind: "role", itemId: role.id, memberIds: [s.member.id.toString()] });
    await runDueJobs();

    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantId: s.tenant.id, action: "member.role_granted" } });
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications.every((row) => row.auditEventId === event.id && row.eventClass === "sensitive_grant")).toBe(true);
    expect(notifications[0]?.title).toContain(s.member.fullName);
    const mails = await alertMailsOf(s.tenant.id);
    expect(mails.map((mail) => mail.toAddress).sort()).toEqual([s.owner.email, s.otherOwner.email].sort());
    expect(mails[0]?.bodyText).toContain(`/console/audit/${event.id}`);
    expect(mails[0]?.bodyText).toContain("members:delete");
  });

  it("matches the rule's patterns with * on either side, a wildcard policy included, and stays silent for the rest", async () => {
    const s = await scene();
    await setRule(s.tenant.id, "sensitive_grant", { policyPatterns: ["members:delete", "*:admin"] });
    const harmless = await s.ownerCaller.access.create({ kind: "policy", name: "Read tickets", permission: "tickets:read" });
    const wildcard = await s.ownerCaller.access.create({ kind: "policy", name: "All of members", permission: "members:*" });
    const adminOfBilling = await s.ownerCaller.access.create({ kind: "policy", name: "Billing admin", permission: "billing:admin" });

    await s.ownerCaller.access.grant({ kind: "policy", itemId: harmless.id, memberIds: [s.member.id.toString()] });
    await runDueJobs();
    expect(await notificationsOf(s.tenant.id)).toEqual([]);

    await s.ownerCaller.access.grant({ kind: "policy", itemId: wildcard.id, memberIds: [s.member.id.toString()] });
    await s.ownerCaller.access.grant({ kind: "policy", itemId: adminOfBilling.id, memberIds: [s.admin.id.toString()] });
    await runDueJobs();
    const titles = (await notificationsOf(s.tenant.id)).map((row) => row.title);
    expect(titles.filter((title) => title.includes("All of members"))).toHaveLength(2);
    expect(titles.filter((title) => title.includes("Billing admin"))).toHaveLength(2);
    expect(titles.some((title) => title.includes("Read tickets"))).toBe(false);
  });

  it("a role widened with a watched policy alerts; narrowing it does not", async () => {
    const s = await scene();
    await setRule(s.tenant.id, "sensitive_grant", { policyPatterns: ["members:*"] });
    const role = await s.ownerCaller.access.create({ kind: "role", name: "Support" });
    const read = await s.ownerCaller.access.create({ kind: "policy", name: "Read tickets", permission: "tickets:read" });
    const erase = await s.ownerCaller.access.create({ kind: "policy", name: "Erase members", permission: "members:erase" });
    await s.ownerCaller.access.setRolePolicies({ roleId: role.id, policyIds: [read.id] });
    await runDueJobs();
    expect(await notificationsOf(s.tenant.id)).toEqual([]);

    await s.ownerCaller.access.setRolePolicies({ roleId: role.id, policyIds: [read.id, erase.id] });
    await runDueJobs();
    const widened = await notificationsOf(s.tenant.id);
    expect(widened).toHaveLength(2);
    expect(widened[0]?.title).toContain("Support");

    await s.ownerCaller.access.setRolePolicies({ roleId: role.id, policyIds: [read.id] });
    await runDueJobs();
    expect(await notificationsOf(s.tenant.id)).toHaveLength(2);
  });

  it("a role granted to a department or a group (their audit events, as their services write them) alerts by the role's policies", async () => {
    const s = await scene();
    const role = await policyRole(s.ownerCaller, ["members:delete"]);
    const harmless = await policyRole(s.ownerCaller, ["tickets:read"]);
    await setRule(s.tenant.id, "sensitive_grant", { policyPatterns: ["members:*"] });
    await runDueJobs();
    await db().notification.deleteMany({ where: { tenantId: s.tenant.id } });
    const department = await db().department.create({ data: { tenantId: s.tenant.id, name: "Platform" } });
    const group = await db().group.create({ data: { tenantId: s.tenant.id, name: "On call" } });
    const granted = (item: { id: string; name: string }) => ({ role: { before: null, after: { id: item.id, name: item.name } } });
    const actor = { tenantId: s.tenant.id, memberId: s.admin.id };
    await db().$transaction(async (tx) => {
      await recordAuditEvent(tx, actor, { action: "department.role_granted", targetType: "department", targetId: department.id, changes: granted(role) });
      await recordAuditEvent(tx, actor, { action: "group.role_granted", targetType: "group", targetId: group.id, changes: granted(role) });
      await recordAuditEvent(tx, actor, { action: "group.role_granted", targetType: "group", targetId: group.id, changes: granted(harmless) });
    });
    await runDueJobs();
    const titles = [...new Set((await notificationsOf(s.tenant.id)).map((row) => row.title))].sort();
    expect(titles).toEqual([`Role “${role.name}” granted to department “Platform”`, `Role “${role.name}” granted to group “On call”`]);
  });

  it("through the real grant services: a department's role widened to its subtree alerts, narrowing it does not", async () => {
    const s = await scene();
    const role = await policyRole(s.ownerCaller, ["members:delete"]);
    await setRule(s.tenant.id, "sensitive_grant", { policyPatterns: ["members:*"] });
    const department = await db().department.create({ data: { tenantId: s.tenant.id, name: "Platform" } });
    const target = { departmentId: department.id.toString(), kind: "role" as const, itemId: role.id };
    await s.ownerCaller.accessGrants.change({ change: "grantToDepartment", ...target, subtree: false });
    await runDueJobs();
    await db().notification.deleteMany({ where: { tenantId: s.tenant.id } });
    await s.ownerCaller.accessGrants.change({ change: "setDepartmentGrantScope", ...target, subtree: true });
    await runDueJobs();
    const widened = [...new Set((await notificationsOf(s.tenant.id)).map((row) => row.title))];
    expect(widened).toEqual([`Role “${role.name}” granted to department “Platform”`]);
    await db().notification.deleteMany({ where: { tenantId: s.tenant.id } });
    await s.ownerCaller.accessGrants.change({ change: "setDepartmentGrantScope", ...target, subtree: false });
    await runDueJobs();
    expect(await notificationsOf(s.tenant.id)).toEqual([]);
  });

  it("making a member an admin alerts whatever the patterns; an ordinary profile edit enqueues nothing", async () => {
    const s = await scene();
    await setRule(s.tenant.id, "sensitive_grant", { policyPatterns: [] });
    const current = await db().user.findUniqueOrThrow({ where: { id: s.member.id } });
    const values = {
      memberId: s.member.id.toString(),
      firstName: current.firstName,
      lastName: current.lastName,
      fullName: current.fullName,
      username: current.username,
      email: current.email,
      mobile: current.mobile!,
      country: "GB",
    };
    await s.ownerCaller.members.update({ ...values, expectedLastModifiedDate: current.updatedAt, firstName: "Renamed", role: "member" });
    expect(await db().$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'alerts__deliver'`).toEqual([]);

    const renamed = await db().user.findUniqueOrThrow({ where: { id: s.member.id } });
    await s.ownerCaller.members.update({ ...values, firstName: "Renamed", expectedLastModifiedDate: renamed.updatedAt, role: "admin" });
    await runDueJobs();
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications[0]?.title).toContain("made an admin");
  });
});

describe("an import batch that promotes one of its rows", () => {
  it("alerts once, naming and linking the promoted member, not the batch's first row", async () => {
    const s = await scene();
    const rows = await Promise.all([1, 2, 3].map(() => createMember(s.tenant.id)));
    const promoted = rows[1]!;
    await db().$transaction((tx) =>
      recordAuditEvents(tx, { tenantId: s.tenant.id, memberId: s.admin.id }, {
        action: "member.imported",
        targetType: "member",
        targets: rows.map((row): { targetId: bigint; changes: TChanges } => ({
          targetId: row.id,
          changes: row === promoted ? { sysAdmin: { before: 0, after: 1 } } : { firstName: { before: "A", after: "B" } },
        })),
      }),
    );
    await runDueJobs();
    const promotedEvent = await db().auditEvent.findFirstOrThrow({ where: { tenantId: s.tenant.id, action: "member.imported", targetId: promoted.id } });
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications.every((row) => row.auditEventId === promotedEvent.id)).toBe(true);
    expect(notifications[0]?.title).toBe(`${promoted.fullName} made an admin`);
  });
});

describe("the actor is never alerted alone", () => {
  it("a rule naming only the actor also alerts the other owners", async () => {
    const s = await scene();
    await setRule(s.tenant.id, "export", { notifyOwners: false });
    const rule = await db().alertRule.findFirstOrThrow({ where: { tenantId: s.tenant.id, eventClass: "export" } });
    await db().alertRuleRecipient.create({ data: { ruleId: rule.id, memberId: s.admin.id } });

    await recordExport(db(), { tenantId: s.tenant.id, memberId: s.admin.id, ...client }, { format: "csv" });
    await runDueJobs();
    expect(await recipientsOf(s.tenant.id)).toEqual(sorted(s.admin.id, s.owner.id, s.otherOwner.id));
  });

  it("the only owner alerting only owners: the admins are alerted too", async () => {
    const tenant = await createTenant();
    const { member: owner, sessionId } = await createSignedInMember(tenant.id, { role: "owner" });
    const admin = await createMember(tenant.id, { role: "admin" });
    const plain = await createMember(tenant.id);
    await recordExport(db(), { tenantId: tenant.id, memberId: owner.id, ...client }, { format: "json" });
    await runDueJobs();
    expect(await recipientsOf(tenant.id)).toEqual(sorted(owner.id, admin.id));
    expect(await recipientsOf(tenant.id)).not.toContain(plain.id);
    expect(await countUnreadNotifications(db(), tenant.id, admin.id)).toBe(1);
    expect(sessionId).toBeTruthy();
  });
});

describe("sign-in events", () => {
  async function setPolicy(tenantId: bigint, values: Partial<TSecurityPolicyInput>) {
    await db().tenantSecurityPolicy.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
  }
  const attempt = (tenant: TTenant, login: string, password: string, from: typeof client) =>
    signInWithPassword(db(), { organisation: tenant.slug, login, password }, from).catch((error: unknown) => error);

  it("a throttle that starts on a member's account alerts the owners (console and mail), once", async () => {
    const s = await scene();
    await setPolicy(s.tenant.id, { lockoutThreshold: 3 });
    for (let index = 0; index < 5; index += 1) await attempt(s.tenant, s.member.username, `guess ${index}`, { ipAddress: "203.0.113.77", userAgent: "curl/8.0" });
    await runDueJobs();
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications[0]).toMatchObject({ eventClass: "lockout" });
    expect(notifications[0]?.title).toContain(s.member.fullName);
    expect((await alertMailsOf(s.tenant.id)).length).toBe(2);
  });

  it("an abnormal sign-in finished with a two-step code alerts too", async () => {
    const s = await scene();
    const caller = await callerOf((await db().session.findFirstOrThrow({ where: { userId: s.member.id } })).id);
    const { secret } = await caller.auth.mfa.start();
    const step = TOTP_PERIOD_SECONDS * 1000;
    await caller.auth.mfa.confirm({ code: totpCode(secret, new Date(Date.now() - step)) });
    await db().memberMfa.update({ where: { userId: s.member.id }, data: { lastUsedStep: null } });
    await runDueJobs();
    await db().notification.deleteMany({ where: { tenantId: s.tenant.id } });

    const challenge = await startSignInChallenge(db(), { tenantId: s.tenant.id, userId: s.member.id, login: s.member.username, abnormal: ["new_device"], passwordChangeRequired: false });
    await completeSignInChallenge(db(), { challenge, code: totpCode(secret, new Date()) }, client);
    await runDueJobs();
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications[0]).toMatchObject({ eventClass: "abnormal_sign_in" });
  });

  it("a burst of throttles on many accounts mails at most the hourly cap; the console still gets every alert", async () => {
    const s = await scene();
    const extra = 3;
    for (let index = 0; index < ALERT_MAILS_PER_CLASS_PER_HOUR + extra; index += 1) {
      await recordAuditEvent(db(), { tenantId: s.tenant.id, memberId: null }, {
        action: "member.sign_in_throttled",
        targetType: "member",
        targetId: s.member.id,
        changes: { until: { before: null, after: new Date().toISOString() } },
      });
    }
    await runDueJobs();
    expect(await notificationsOf(s.tenant.id)).toHaveLength((ALERT_MAILS_PER_CLASS_PER_HOUR + extra) * 2);
    expect(await alertMailsOf(s.tenant.id)).toHaveLength(ALERT_MAILS_PER_CLASS_PER_HOUR * 2);
  });

  it("an abnormal sign-in alerts in the console; one refused with a lock is a lockout too (mail)", async () => {
    const s = await scene();
    const home = { ipAddress: "198.51.100.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36" };
    const phone = { ipAddress: "203.0.113.50", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile/15E148 Safari/604.1" };
    await attempt(s.tenant, s.member.username, TEST_PASSWORD, home);
    await attempt(s.tenant, s.member.username, TEST_PASSWORD, phone);
    await runDueJobs();
    const allowed = await notificationsOf(s.tenant.id);
    expect(allowed.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(allowed[0]).toMatchObject({ eventClass: "abnormal_sign_in" });
    expect(await alertMailsOf(s.tenant.id)).toEqual([]);

    const other = await createMember(s.tenant.id);
    await setPolicy(s.tenant.id, { abnormalLoginAction: "lock" });
    await attempt(s.tenant, other.username, TEST_PASSWORD, home);
    await attempt(s.tenant, other.username, TEST_PASSWORD, phone);
    await runDueJobs();
    const locked = (await notificationsOf(s.tenant.id)).filter((row) => row.title.includes(other.fullName));
    expect(locked).toHaveLength(2);
    expect(locked[0]?.title).toContain("locked");
    expect(locked[0]).toMatchObject({ eventClass: "lockout" });
    expect((await alertMailsOf(s.tenant.id)).map((mail) => mail.toAddress).sort()).toEqual([s.owner.email, s.otherOwner.email].sort());
  });
});

describe("a member's own report", () => {
  it("“this wasn't me” locks the account and alerts the owners as a lockout", async () => {
    const s = await scene();
    const attempt = await db().loginAttempt.create({ data: { tenantId: s.tenant.id, userId: s.member.id, login: s.member.username, result: "success", reason: "ok" } });
    await s.memberCaller.selfService.reportNotMe({ attemptId: attempt.id.toString() });
    await runDueJobs();
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications[0]).toMatchObject({ eventClass: "lockout" });
    expect(notifications[0]?.title).toContain("not theirs");
  });
});

describe("bulk lifecycle actions and exports", () => {
  it("one alert for one bulk action at or over the threshold, none under it", async () => {
    const s = await scene();
    await setRule(s.tenant.id, "bulk_lifecycle", { threshold: 3 });
    const members = await Promise.all([1, 2, 3, 4, 5].map(() => createMember(s.tenant.id)));
    await s.ownerCaller.lifecycle.run({ action: "disable", memberIds: members.slice(0, 2).map((member) => member.id.toString()), reason: "Under" });
    await runDueJobs();
    expect(await notificationsOf(s.tenant.id)).toEqual([]);

    await s.ownerCaller.lifecycle.run({ action: "disable", memberIds: members.slice(2).map((member) => member.id.toString()), reason: "Over" });
    await runDueJobs();
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications[0]).toMatchObject({ eventClass: "bulk_lifecycle", title: "Bulk action on 3 members: disable" });
  });

  it("a bulk action over more events than a job names is still counted whole", async () => {
    const s = await scene();
    await setRule(s.tenant.id, "bulk_lifecycle", { threshold: 10_020 });
    const targets = Array.from({ length: 10_050 }, () => ({ targetId: s.member.id, changes: {} }));
    await db().$transaction((tx) => recordAuditEvents(tx, { tenantId: s.tenant.id, memberId: s.admin.id }, { action: "member.lock", targetType: "member", targets }));
    await runDueJobs();
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications).toHaveLength(2);
    expect(notifications[0]?.title).toBe("Bulk action on 10050 members: lock");
  });

  it("an export alerts the owners", async () => {
    const s = await scene();
    await recordExport(db(), { tenantId: s.tenant.id, memberId: s.admin.id, ...client }, { format: "csv" });
    await runDueJobs();
    const notifications = await notificationsOf(s.tenant.id);
    expect(notifications.map((row) => row.recipientId)).toEqual(sorted(s.owner.id, s.otherOwner.id));
    expect(notifications[0]).toMatchObject({ eventClass: "export" });
  });

  it("a disabled rule alerts nobody", async () => {
    const s = await scene();
    await setRule(s.tenant.id, "export", { enabled: false });
    await recordExport(db(), { tenantId: s.tenant.id, memberId: s.admin.id, ...client }, { format: "csv" });
    await runDueJobs();
    expect(await notificationsOf(s.tenant.id)).toEqual([]);
  });
});

describe("delivery", () => {
  it("is enqueued in the event's transaction: a rollback leaves no job", async () => {
    const tenant = await createTenant();
    const owner = await createMember(tenant.id, { role: "owner" });
    await expect(
      db().$transaction(async (tx) => {
        await recordAuditEvent(tx, { tenantId: tenant.id, memberId: owner.id }, { action: "members.exported", targetType: "tenant", targetId: tenant.id, changes: {} });
        throw new Error("the change failed");
      }),
    ).rejects.toThrow("the change failed");
    expect(await db().$queryRaw<unknown[]>`SELECT 1 FROM graphile_worker.jobs WHERE task_identifier = 'alerts__deliver'`).toEqual([]);
  });

  it("a retried or duplicated job, even in parallel, writes no second notification nor mail", async () => {
    const s = await scene();
    await recordExport(db(), { tenantId: s.tenant.id, memberId: s.admin.id, ...client }, { format: "csv" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantId: s.tenant.id, action: "members.exported" } });
    await setRule(s.tenant.id, "export", { byMail: true });
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => deliverAlerts(db(), [event.id])));
    expect(outcomes.filter((outcome) => outcome === "already delivered")).toHaveLength(4);
    await runDueJobs();
    expect(await deliverAlerts(db(), [event.id])).toBe("already delivered");
    expect(await notificationsOf(s.tenant.id)).toHaveLength(2);
    expect(await alertMailsOf(s.tenant.id)).toHaveLength(2);
  });
});

describe("who may read and change what", () => {
  it("notifications are their recipient's only: another admin, a member and another organisation see and mark none", async () => {
    const s = await scene();
    await recordExport(db(), { tenantId: s.tenant.id, memberId: s.admin.id, ...client }, { format: "csv" });
    await runDueJobs();
    const [mine] = (await s.ownerCaller.alerts.notifications({})).items;
    expect(mine?.title).toContain("exported");
    expect(await s.ownerCaller.alerts.unreadCount()).toBe(1);

    expect((await s.adminCaller.alerts.notifications({})).items).toEqual([]);
    await expect(s.adminCaller.alerts.markRead({ notificationId: mine!.id })).rejects.toMatchObject({ code: "NOT_FOUND" } satisfies Partial<TRPCError>);
    await expect(s.memberCaller.alerts.notifications({})).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.memberCaller.alerts.markRead({ notificationId: mine!.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.memberCaller.alerts.markAllRead()).rejects.toMatchObject({ code: "FORBIDDEN" });

    const elsewhere = await scene();
    expect((await elsewhere.ownerCaller.alerts.notifications({})).items).toEqual([]);
    await expect(elsewhere.ownerCaller.alerts.markRead({ notificationId: mine!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(elsewhere.ownerCaller.audit.event({ eventId: (await db().notification.findFirstOrThrow({ where: { id: BigInt(mine!.id) } })).auditEventId.toString() })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await s.ownerCaller.alerts.unreadCount()).toBe(1);
  });

  it("50 parallel mark-as-read calls all succeed and leave one read time", async () => {
    const s = await scene();
    await recordExport(db(), { tenantId: s.tenant.id, memberId: s.admin.id, ...client }, { format: "csv" });
    await runDueJobs();
    const [mine] = (await s.ownerCaller.alerts.notifications({})).items;
    const results = await Promise.all(Array.from({ length: 50 }, () => s.ownerCaller.alerts.markRead({ notificationId: mine!.id })));
    expect(results.every((result) => result.read)).toBe(true);
    expect(await s.ownerCaller.alerts.unreadCount()).toBe(0);
    expect(await s.otherOwnerCaller.alerts.unreadCount()).toBe(1);
    expect((await s.otherOwnerCaller.alerts.markAllRead()).marked).toBe(1);
    expect(await s.otherOwnerCaller.alerts.unreadCount()).toBe(0);
  });

  it("pages newest first with a keyset cursor", async () => {
    const s = await scene();
    for (let index = 0; index < 3; index += 1) await recordExport(db(), { tenantId: s.tenant.id, memberId: s.admin.id, ...client }, { format: "csv" });
    await runDueJobs();
    const first = await s.ownerCaller.alerts.notifications({ limit: 2 });
    const second = await s.ownerCaller.alerts.notifications({ limit: 2, cursor: first.nextCursor });
    const ids = [...first.items, ...second.items].map((item) => BigInt(item.id));
    expect(ids).toHaveLength(3);
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    expect(second.nextCursor).toBeNull();
    await expect(s.ownerCaller.alerts.notifications({ cursor: "not a cursor" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("rules: admins read them, only owners change them, named members must be admins, huge input is refused", async () => {
    const s = await scene();
    const rules = await s.adminCaller.alerts.rules();
    expect(rules.map((rule) => rule.eventClass).sort()).toEqual(["abnormal_sign_in", "bulk_lifecycle", "export", "lockout", "sensitive_grant", "webhook_disabled"]);
    const rule = {
      eventClass: "export" as const,
      notifyOwners: false,
      notifyAdmins: false,
      memberIds: [s.admin.id.toString()],
      byConsole: true,
      byMail: true,
      policyPatterns: [],
      threshold: 10,
      enabled: true,
    };
    await expect(s.adminCaller.alerts.createRule(rule)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.adminCaller.alerts.deleteRule({ ruleId: rules[0]!.id })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.memberCaller.alerts.rules()).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.ownerCaller.alerts.createRule({ ...rule, memberIds: [s.member.id.toString()] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    const elsewhere = await scene();
    await expect(s.ownerCaller.alerts.createRule({ ...rule, memberIds: [elsewhere.owner.id.toString()] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(elsewhere.ownerCaller.alerts.deleteRule({ ruleId: rules[0]!.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(s.ownerCaller.alerts.createRule({ ...rule, eventClass: "sensitive_grant", policyPatterns: Array.from({ length: 51 }, (_, i) => `r${i}:read`) })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(s.ownerCaller.alerts.createRule({ ...rule, eventClass: "sensitive_grant", policyPatterns: ["x".repeat(200_000)] })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(s.ownerCaller.alerts.createRule({ ...rule, byConsole: false, byMail: false })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const created = await s.ownerCaller.alerts.createRule(rule);
    await s.ownerCaller.alerts.updateRule({ ruleId: created.id, ...rule, notifyOwners: true });
    expect((await s.ownerCaller.alerts.rules()).find((found) => found.id === created.id)).toMatchObject({ notifyOwners: true, recipients: [{ memberId: s.admin.id.toString() }] });
    await s.ownerCaller.alerts.deleteRule({ ruleId: created.id });
    expect((await db().auditEvent.findMany({ where: { tenantId: s.tenant.id, action: { startsWith: "alert_rule." } } })).map((event) => event.action).sort()).toEqual([
      "alert_rule.created",
      "alert_rule.deleted",
      "alert_rule.updated",
    ]);
  });

  it("an alert in one organisation reaches nobody in another", async () => {
    const first = await scene();
    const second = await scene();
    await recordExport(db(), { tenantId: first.tenant.id, memberId: first.admin.id, ...client }, { format: "csv" });
    await runDueJobs();
    expect(await notificationsOf(second.tenant.id)).toEqual([]);
    expect(await alertMailsOf(second.tenant.id)).toEqual([]);
    expect(await recipientsOf(first.tenant.id)).toEqual(sorted(first.owner.id, first.otherOwner.id));
  });
});
