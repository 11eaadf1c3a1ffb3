import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { deleteExpiredSessions } from "@/server/auth/delete-expired-sessions";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { getAccountSecurity } from "@/server/status/account-security";
import { computeOnlineDuration } from "@/server/status/online-duration";
import { getOnlineDuration, SNAPSHOT_MAX_AGE_MS } from "@/server/status/online-duration-snapshot";
import { runOnce } from "graphile-worker";
import { serverEnv } from "@/server/env";
import { taskList } from "@/workers/task-list";
import { getOnlineNow } from "@/server/status/online-now";
import { getPasswordHealth } from "@/server/status/password-health";
import { getSignInIncidents } from "@/server/status/sign-in-incidents";
import { startOfUtcDay } from "@/server/status/utc-day";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

// Each card's numbers on a tenant seeded with factories, beside another
// tenant with the same kinds of rows (which must never be counted).

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** A fixed "now": ten hours into the current UTC day. */
const NOW = new Date(startOfUtcDay(new Date()).getTime() + 10 * HOUR);
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);

async function session(tenantId: bigint, userId: bigint, times: { createdAt: Date; lastSeenAt: Date; revokedAt?: Date; expiresAt?: Date }) {
  return db().session.create({
    data: { tenantId, userId, createdAt: times.createdAt, lastSeenAt: times.lastSeenAt, revokedAt: times.revokedAt ?? null, expiresAt: times.expiresAt ?? new Date(times.createdAt.getTime() + 12 * HOUR) },
  });
}

async function attempt(tenantId: bigint, createdAt: Date, fields: { result: string; abnormal?: boolean; lockoutUntil?: Date }) {
  await db().loginAttempt.create({ data: { tenantId, login: "someone", result: fields.result, reason: "test", abnormal: fields.abnormal ?? false, lockoutUntil: fields.lockoutUntil ?? null, createdAt } });
}

describe("status overview cards", () => {
  it("members online now and open sessions: only this tenant's, idle and revoked sessions not open", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const twoBrowsers = await createSignedInMember(tenant.id);
    // Expiry from the real clock: the day-anchored `at()` put it at 22:00 UTC, so after that hour the session had expired and the test failed.
    await db().session.create({ data: { tenantId: tenant.id, userId: twoBrowsers.member.id, expiresAt: new Date(Date.now() + 12 * HOUR), createdAt: new Date(), lastSeenAt: new Date() } });
    const oneBrowser = await createSignedInMember(tenant.id);
    const idle = await createSignedInMember(tenant.id);
    await db().session.update({ where: { id: idle.sessionId }, data: { lastSeenAt: new Date(Date.now() - 31 * MINUTE) } });
    const revoked = await createSignedInMember(tenant.id);
    await db().session.update({ where: { id: revoked.sessionId }, data: { revokedAt: new Date() } });
    await db().user.updateMany({ where: { id: { in: [twoBrowsers.member.id, oneBrowser.member.id] } }, data: { online: true } });
    const stranger = await createSignedInMember(other.id);
    await db().user.update({ where: { id: stranger.member.id }, data: { online: true } });

    expect(await getOnlineNow(db(), tenant.id)).toEqual({ onlineMembers: 2, openSessions: 3 });
  });

  it("online duration: sessions' open time per member and in total, today (UTC) and the last 7 days, swept sessions included", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const [busy, earlier, idler, quiet] = await Promise.all([createMember(tenant.id), createMember(tenant.id), createMember(tenant.id), createMember(tenant.id)]);
    // Open now for two hours.
    await session(tenant.id, busy.id, { createdAt: at(-2 * HOUR), lastSeenAt: at(-MINUTE) });
    // Revoked yesterday after an hour.
    await session(tenant.id, busy.id, { createdAt: at(-26 * HOUR), lastSeenAt: at(-25 * HOUR - 5 * MINUTE), revokedAt: at(-25 * HOUR) });
    // Went idle: open from 11 hours ago until its last request 9 hours ago (1 hour of it today).
    await session(tenant.id, idler.id, { createdAt: at(-11 * HOUR), lastSeenAt: at(-9 * HOUR) });
    // Three days ago for 30 minutes, then swept: its open time survives the session row.
    await session(tenant.id, earlier.id, { createdAt: at(-3 * DAY), lastSeenAt: at(-3 * DAY + 30 * MINUTE) });
    // Eight days ago: outside the week.
    await db().sessionSpan.create({ data: { tenantId: tenant.id, userId: quiet.id, startedAt: at(-8 * DAY), endedAt: at(-8 * DAY + HOUR) } });
    // Another tenant's session is never counted.
    const stranger = await createMember(other.id);
    await session(other.id, stranger.id, { createdAt: at(-HOUR), lastSeenAt: at(-MINUTE) });

    await deleteExpiredSessions(db(), NOW);
    expect(await db().sessionSpan.findMany({ where: { userId: earlier.id }, select: { startedAt: true, endedAt: true } })).toEqual([
      { startedAt: at(-3 * DAY), endedAt: at(-3 * DAY + 30 * MINUTE) },
    ]);

    const duration = await computeOnlineDuration(db(), tenant.id, NOW);
    expect(duration).toMatchObject({ todaySeconds: 2 * 3600 + 3600, weekSeconds: 3 * 3600 + 2 * 3600 + 1800, membersOnlineThisWeek: 3 });
    expect(duration.topMembers.map(({ memberId, todaySeconds, weekSeconds }) => ({ memberId, todaySeconds, weekSeconds }))).toEqual([
      { memberId: busy.id.toString(), todaySeconds: 7200, weekSeconds: 10800 },
      { memberId: idler.id.toString(), todaySeconds: 3600, weekSeconds: 7200 },
      { memberId: earlier.id.toString(), todaySeconds: 0, weekSeconds: 1800 },
    ]);
    expect(duration.topMembers[0]).toMatchObject({ fullName: busy.fullName, username: busy.username });

    const empty = await createTenant();
    expect(await computeOnlineDuration(db(), empty.id, NOW)).toMatchObject({ todaySeconds: 0, weekSeconds: 0, membersOnlineThisWeek: 0, topMembers: [] });
  });

  it("online time is read from a snapshot the status__refresh_snapshots job keeps; a stale one or yesterday's is computed again", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    await session(tenant.id, member.id, { createdAt: at(-HOUR), lastSeenAt: at(-MINUTE), revokedAt: at(-30 * MINUTE) });
    const first = await getOnlineDuration(db(), tenant.id, NOW);
    expect(first).toMatchObject({ computedAt: NOW, todaySeconds: 1800 });

    // A new session: a page within the snapshot's age still shows the snapshot (with its time) ...
    await session(tenant.id, member.id, { createdAt: at(-HOUR), lastSeenAt: at(-MINUTE), revokedAt: at(-50 * MINUTE) });
    expect(await getOnlineDuration(db(), tenant.id, at(MINUTE))).toEqual(first);
    // ... a later one computes it again.
    const stale = at(SNAPSHOT_MAX_AGE_MS + MINUTE);
    expect(await getOnlineDuration(db(), tenant.id, stale)).toMatchObject({ computedAt: stale, todaySeconds: 1800 + 600 });
    // The next UTC day: "today" starts again.
    const tomorrow = new Date(startOfUtcDay(NOW).getTime() + DAY + MINUTE);
    expect(await getOnlineDuration(db(), tenant.id, tomorrow)).toMatchObject({ computedAt: tomorrow, todaySeconds: 0, weekSeconds: 2400 });

    // The job refreshes every organisation's snapshot (run by graphile-worker), and is in the crontab.
    await db().$executeRaw`SELECT graphile_worker.add_job('status__refresh_snapshots', '{}'::json)`;
    await runOnce({ connectionString: serverEnv().DATABASE_URL, taskList, logger: undefined });
    const refreshed = await db().statusSnapshot.findUniqueOrThrow({ where: { tenantId_card: { tenantId: tenant.id, card: "online_duration" } } });
    expect(refreshed.computedAt.getTime()).toBeGreaterThan(tomorrow.getTime() - 2 * DAY);
    expect(refreshed.computedAt.getTime()).not.toBe(tomorrow.getTime());
    const { readFile } = await import("node:fs/promises");
    expect(await readFile(new URL("../../workers/crontab", import.meta.url), "utf8")).toMatch(/^\*\/5 \* \* \* \* status__refresh_snapshots\b/m);
  });

  it("abnormal sign-ins, sign-in lockouts and account locks per UTC day, every day present", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const member = await createMember(tenant.id);
    await attempt(tenant.id, at(-HOUR), { result: "success", abnormal: true });
    await attempt(tenant.id, at(-2 * HOUR), { result: "blocked", abnormal: true });
    await attempt(tenant.id, at(-3 * DAY), { result: "failure", lockoutUntil: at(-3 * DAY + 15 * MINUTE) });
    await attempt(tenant.id, at(-3 * DAY), { result: "failure" });
    await attempt(tenant.id, at(-20 * DAY), { result: "success", abnormal: true });
    await attempt(other.id, at(-HOUR), { result: "success", abnormal: true });
    await db().auditEvent.create({ data: { tenantId: tenant.id, action: "member.lock", targetType: "member", targetId: member.id, createdAt: at(-DAY) } });
    await db().auditEvent.create({ data: { tenantId: tenant.id, action: "member.unlock", targetType: "member", targetId: member.id, createdAt: at(-DAY) } });
    await db().auditEvent.create({ data: { tenantId: other.id, action: "member.lock", targetType: "member", targetId: member.id, createdAt: at(-DAY) } });

    const { days } = await getSignInIncidents(db(), tenant.id, { days: 14 }, NOW);
    const day = (offset: number) => at(-offset * DAY).toISOString().slice(0, 10);
    expect(days).toHaveLength(14);
    expect(days[0]!.day).toBe(day(13));
    expect(days.at(-1)).toEqual({ day: day(0), abnormalSignIns: 2, signInLockouts: 0, accountLocks: 0 });
    expect(days.find((entry) => entry.day === day(1))).toEqual({ day: day(1), abnormalSignIns: 0, signInLockouts: 0, accountLocks: 1 });
    expect(days.find((entry) => entry.day === day(3))).toEqual({ day: day(3), abnormalSignIns: 0, signInLockouts: 1, accountLocks: 0 });
    expect(days.reduce((sum, entry) => sum + entry.abnormalSignIns + entry.signInLockouts + entry.accountLocks, 0)).toBe(4);

    const month = await getSignInIncidents(db(), tenant.id, { days: 30 }, NOW);
    expect(month.days).toHaveLength(30);
    expect(month.days.find((entry) => entry.day === day(20))?.abnormalSignIns).toBe(1);
  });

  it("passwords: must change, expiring within N days, expired; active members of this tenant only", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const set = async (tenantId: bigint, data: { passwordChangeRequired?: boolean; passwordExpiresAt?: Date }, state?: "disabled") => {
      const member = await createMember(tenantId, state ? { state } : {});
      await db().user.update({ where: { id: member.id }, data });
    };
    await set(tenant.id, { passwordChangeRequired: true });
    await set(tenant.id, { passwordChangeRequired: true }, "disabled");
    await set(tenant.id, { passwordExpiresAt: at(5 * DAY) });
    await set(tenant.id, { passwordExpiresAt: at(20 * DAY) });
    await set(tenant.id, { passwordExpiresAt: at(-DAY) });
    await set(tenant.id, { passwordExpiresAt: at(2 * DAY) }, "disabled");
    await set(other.id, { passwordChangeRequired: true, passwordExpiresAt: at(DAY) });

    expect(await getPasswordHealth(db(), tenant.id, {}, NOW)).toEqual({ mustChange: 1, expiringSoon: 1, expired: 1, withinDays: 14 });
    expect(await getPasswordHealth(db(), tenant.id, { withinDays: 30 }, NOW)).toMatchObject({ expiringSoon: 2 });
  });

  it("members without two-step verification (a started, unconfirmed enrolment counts as none) and members locked now", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const [withMfa, unconfirmed] = await Promise.all([createMember(tenant.id), createMember(tenant.id), createMember(tenant.id)]);
    await createMember(tenant.id, { state: "locked" });
    await createMember(tenant.id, { state: "disabled" });
    const strangerWithMfa = await createMember(other.id);
    await db().memberMfa.createMany({
      data: [
        { userId: withMfa.id, secretEncrypted: "v1.x", enabledAt: new Date() },
        { userId: unconfirmed.id, secretEncrypted: "v1.x", enabledAt: null },
        { userId: strangerWithMfa.id, secretEncrypted: "v1.x", enabledAt: new Date() },
      ],
    });
    expect(await getAccountSecurity(db(), tenant.id)).toEqual({ activeMembers: 3, withoutMfa: 2, lockedMembers: 1 });
  });
});

describe("status procedures", () => {
  it("are for admins of the caller's own tenant: a member is forbidden, a signed-out caller unauthorised", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const member = await createSignedInMember(tenant.id);
    const otherAdmin = await createSignedInMember(other.id, { role: "owner" });
    await db().user.update({ where: { id: member.member.id }, data: { online: true, passwordChangeRequired: false } });

    const asAdmin = createCaller(await createContextForSessionId(admin.sessionId));
    expect(await asAdmin.status.onlineNow()).toEqual({ onlineMembers: 1, openSessions: 2 });
    expect(await asAdmin.status.accountSecurity()).toEqual({ activeMembers: 2, withoutMfa: 2, lockedMembers: 0 });
    expect((await asAdmin.status.signInIncidents({ days: 30 })).days).toHaveLength(30);
    expect(await asAdmin.status.passwordHealth({ withinDays: 7 })).toMatchObject({ withinDays: 7 });
    expect((await asAdmin.status.onlineDuration()).weekSeconds).toBeGreaterThanOrEqual(0);
    await expect(asAdmin.status.signInIncidents({ days: 7 as 14 })).rejects.toMatchObject({ code: "BAD_REQUEST" });

    const asOtherAdmin = createCaller(await createContextForSessionId(otherAdmin.sessionId));
    expect(await asOtherAdmin.status.onlineNow()).toEqual({ onlineMembers: 0, openSessions: 1 });
    expect(await asOtherAdmin.status.accountSecurity()).toEqual({ activeMembers: 1, withoutMfa: 1, lockedMembers: 0 });

    const asMember = createCaller(await createContextForSessionId(member.sessionId));
    const signedOut = createCaller(await createContextForSessionId(null));
    const calls = (caller: typeof asMember) => [
      caller.status.onlineNow(),
      caller.status.onlineDuration(),
      caller.status.signInIncidents({ days: 14 }),
      caller.status.passwordHealth({ withinDays: 14 }),
      caller.status.accountSecurity(),
    ];
    for (const call of calls(asMember)) await expect(call).rejects.toMatchObject({ code: "FORBIDDEN" });
    for (const call of calls(signedOut)) await expect(call).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
