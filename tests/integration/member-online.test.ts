import { runOnce } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { signOutSession } from "@/server/auth/sign-out-session";
import { checkSession } from "@/server/auth/sessions";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { taskList } from "@/workers/task-list";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

// `online` follows the member's LAST open session: it turns false in the
// transaction that ends it (sign-out, an admin's revoke, an MFA reset, "this
// wasn't me"), and within the minute when it goes idle (members__mark_offline),
// not only at the hourly sweep.

const MINUTE = 60 * 1000;
const client = { ipAddress: "198.51.100.7", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0" };

const runDueJobs = () => runOnce({ connectionString: serverEnv().DATABASE_URL, taskList, logger: undefined });
const presence = (memberId: bigint) => db().user.findUniqueOrThrow({ where: { id: memberId }, select: { online: true, onlineAt: true, offlineAt: true } });

async function memberWithTwoSessions() {
  const tenant = await createTenant();
  const member = await createMember(tenant.id);
  const credentials = { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD };
  const first = await signInWithPassword(db(), credentials, client);
  const second = await signInWithPassword(db(), credentials, client);
  expect((await presence(member.id)).online).toBe(true);
  return { tenant, member, first: first.sessionId, second: second.sessionId };
}

async function adminCaller(tenantId: bigint) {
  const admin = await createSignedInMember(tenantId, { role: "admin" });
  return createCaller(await createContextForSessionId(admin.sessionId));
}

describe("online turns false when the member's last session ends", () => {
  it("on sign-out: stays online while another session lives, goes offline (offline_at set) with the last", async () => {
    const { member, first, second } = await memberWithTwoSessions();
    await signOutSession(db(), first);
    expect((await presence(member.id)).online).toBe(true);
    await signOutSession(db(), second);
    const after = await presence(member.id);
    expect(after.online).toBe(false);
    expect(after.offlineAt).toBeInstanceOf(Date);
  });

  it("on sign-out of the live session while the other one already went idle (not yet swept)", async () => {
    const { member, first, second } = await memberWithTwoSessions();
    await db().session.update({ where: { id: first }, data: { lastSeenAt: new Date(Date.now() - 31 * MINUTE) } });
    await signOutSession(db(), second);
    expect((await presence(member.id)).online).toBe(false);
  });

  it("when both sessions sign out at the same moment (each sees the other's end)", async () => {
    for (let round = 0; round < 5; round++) {
      const { member, first, second } = await memberWithTwoSessions();
      await Promise.all([signOutSession(db(), first), signOutSession(db(), second)]);
      expect((await presence(member.id)).online).toBe(false);
    }
  });

  it("when an admin revokes the sessions one by one, or all at once", async () => {
    const one = await memberWithTwoSessions();
    const caller = await adminCaller(one.tenant.id);
    await caller.security.revokeSession({ memberId: one.member.id.toString(), sessionId: one.first });
    expect((await presence(one.member.id)).online).toBe(true);
    await caller.security.revokeSession({ memberId: one.member.id.toString(), sessionId: one.second });
    expect((await presence(one.member.id)).online).toBe(false);

    const all = await memberWithTwoSessions();
    await (await adminCaller(all.tenant.id)).security.revokeAllSessions({ memberId: all.member.id.toString() });
    expect((await presence(all.member.id)).online).toBe(false);
  });

  it("when an admin resets the member's MFA (which ends every session)", async () => {
    const { tenant, member } = await memberWithTwoSessions();
    await db().memberMfa.create({ data: { userId: member.id, secretEncrypted: "v1.x", enabledAt: new Date() } });
    await (await adminCaller(tenant.id)).auth.mfa.resetForMember({ memberId: member.id.toString() });
    expect((await presence(member.id)).online).toBe(false);
  });

  it("when the member reports a sign-in as 'this wasn't me' (locked, every session ended)", async () => {
    const { member, first } = await memberWithTwoSessions();
    const caller = createCaller(await createContextForSessionId(first));
    const attempts = await db().loginAttempt.findMany({ where: { userId: member.id, result: "success" }, orderBy: { id: "asc" } });
    const other = attempts.find((attempt) => attempt.sessionId !== first)!;
    await caller.selfService.reportNotMe({ attemptId: other.id.toString() });
    expect((await presence(member.id)).online).toBe(false);
  });

  it("when a session is refused because its member was blocked meanwhile", async () => {
    const { member, first, second } = await memberWithTwoSessions();
    await db().$executeRaw`UPDATE users SET state = 'disabled' WHERE id = ${member.id}`;
    expect((await checkSession(db(), first)).live).toBe(false);
    expect((await checkSession(db(), second)).live).toBe(false);
    expect((await presence(member.id)).online).toBe(false);
  });
});

describe("the per-minute idle job (members__mark_offline)", () => {
  it("takes members offline whose every session went idle under their own tenant's timeout, and only them", async () => {
    const strict = await createTenant();
    const relaxed = await createTenant();
    await db().tenantSecurityPolicy.create({ data: { tenantId: strict.id, idleTimeoutMinutes: 5 } });
    const idle = await createSignedInMember(strict.id);
    const busy = await createSignedInMember(strict.id);
    const halfIdle = await createSignedInMember(strict.id);
    const secondOfHalfIdle = await db().session.create({
      data: { tenantId: strict.id, userId: halfIdle.member.id, expiresAt: new Date(Date.now() + 60 * MINUTE) },
    });
    const relaxedOne = await createSignedInMember(relaxed.id);
    const members = [idle, busy, halfIdle, relaxedOne].map((one) => one.member.id);
    await db().user.updateMany({ where: { id: { in: members } }, data: { online: true } });
    const sixMinutesAgo = new Date(Date.now() - 6 * MINUTE);
    await db().session.updateMany({ where: { id: { in: [idle.sessionId, halfIdle.sessionId, relaxedOne.sessionId] } }, data: { lastSeenAt: sixMinutesAgo } });

    await db().$executeRaw`SELECT graphile_worker.add_job('members__mark_offline', '{}'::json)`;
    await runDueJobs();

    expect((await presence(idle.member.id)).online).toBe(false);
    expect((await presence(idle.member.id)).offlineAt).toBeInstanceOf(Date);
    expect((await presence(busy.member.id)).online).toBe(true);
    expect((await presence(halfIdle.member.id)).online).toBe(true);
    expect((await presence(relaxedOne.member.id)).online).toBe(true);
    // The idle sessions themselves stay until the hourly sweep deletes them.
    expect(await db().session.count({ where: { id: { in: [idle.sessionId, secondOfHalfIdle.id] } } })).toBe(2);

    // Idempotent: a second run changes nothing, and the offline time stays.
    const before = await presence(idle.member.id);
    await db().$executeRaw`SELECT graphile_worker.add_job('members__mark_offline', '{}'::json)`;
    await runDueJobs();
    expect(await presence(idle.member.id)).toEqual(before);
  });

  it("is in the crontab, every minute", async () => {
    const { readFile } = await import("node:fs/promises");
    const crontab = await readFile(new URL("../../workers/crontab", import.meta.url), "utf8");
    expect(crontab).toMatch(/^\* \* \* \* \* members__mark_offline\b/m);
  });
});
