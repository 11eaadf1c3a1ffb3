import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { deleteExpiredSessions } from "@/server/auth/delete-expired-sessions";
import { checkSession, createSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

const MINUTE = 60 * 1000;
const HOUR = 60 * MINUTE;

async function setPolicy(tenantId: bigint, values: { idleTimeoutMinutes?: number; absoluteLifetimeHours?: number }) {
  await db().tenantSecurityPolicy.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
}

describe("session timeouts from the tenant's policy", () => {
  it("uses the defaults (30 minutes idle, 12 hours in all) for a tenant that never saved a policy", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    const row = await db().session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(12 * HOUR);
    const start = row.lastSeenAt.getTime();
    expect((await checkSession(db(), sessionId, new Date(start + 29 * MINUTE))).live).toBe(true);
    expect(await checkSession(db(), sessionId, new Date(start + 29 * MINUTE + 30 * MINUTE))).toEqual({ live: false, reason: "idle" });
  });

  it("signs a session out after the tenant's idle timeout, each tenant by its own", async () => {
    const strict = await createTenant();
    const relaxed = await createTenant();
    await setPolicy(strict.id, { idleTimeoutMinutes: 5 });
    await setPolicy(relaxed.id, { idleTimeoutMinutes: 60 });
    const strictSession = (await createSignedInMember(strict.id)).sessionId;
    const relaxedSession = (await createSignedInMember(relaxed.id)).sessionId;
    const later = new Date(Date.now() + 6 * MINUTE);
    expect(await checkSession(db(), strictSession, later)).toEqual({ live: false, reason: "idle" });
    expect((await checkSession(db(), relaxedSession, later)).live).toBe(true);
  });

  it("keeps an active session only until the tenant's absolute lifetime, and a shortened lifetime ends open sessions too", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { absoluteLifetimeHours: 2 });
    const member = await createMember(tenant.id);
    const { sessionId } = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, {});
    const row = await db().session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(2 * HOUR);

    // Active all along (a request every 20 minutes), yet ended at two hours.
    let at = row.createdAt.getTime();
    while (at + 20 * MINUTE < row.createdAt.getTime() + 2 * HOUR) {
      at += 20 * MINUTE;
      expect((await checkSession(db(), sessionId, new Date(at))).live).toBe(true);
    }
    expect(await checkSession(db(), sessionId, new Date(row.createdAt.getTime() + 2 * HOUR))).toEqual({ live: false, reason: "expired" });

    const second = await createSession(db(), { tenantId: tenant.id, userId: member.id });
    const opened = (await db().session.findUniqueOrThrow({ where: { id: second } })).createdAt.getTime();
    await setPolicy(tenant.id, { absoluteLifetimeHours: 1 });
    expect(await checkSession(db(), second, new Date(opened + HOUR + 1000))).toEqual({ live: false, reason: "expired" });
  });

  it("the hourly sweep deletes sessions idle past their own tenant's timeout, and marks those members offline", async () => {
    const strict = await createTenant();
    const relaxed = await createTenant();
    await setPolicy(strict.id, { idleTimeoutMinutes: 5 });
    const strictOne = await createSignedInMember(strict.id);
    const relaxedOne = await createSignedInMember(relaxed.id);
    await db().user.updateMany({ where: { id: { in: [strictOne.member.id, relaxedOne.member.id] } }, data: { online: true } });
    const tenMinutesAgo = new Date(Date.now() - 10 * MINUTE);
    await db().session.updateMany({ where: { id: { in: [strictOne.sessionId, relaxedOne.sessionId] } }, data: { lastSeenAt: tenMinutesAgo } });

    await deleteExpiredSessions(db());

    expect(await db().session.findUnique({ where: { id: strictOne.sessionId } })).toBeNull();
    expect(await db().session.findUnique({ where: { id: relaxedOne.sessionId } })).not.toBeNull();
    expect((await db().user.findUniqueOrThrow({ where: { id: strictOne.member.id } })).online).toBe(false);
    expect((await db().user.findUniqueOrThrow({ where: { id: relaxedOne.member.id } })).online).toBe(true);
  });
});
