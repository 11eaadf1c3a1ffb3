import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { DEFAULT_SECURITY_POLICY } from "@/server/auth/security-policy-schemas";
import { checkSession, createSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

// The console side of sign-in security through the real procedures: the
// tenant policy (Settings → Security) and a member's sessions and sign-in
// history (the member page's Sessions tab).

const callerFor = async (sessionId: string) => createCaller(await createContextForSessionId(sessionId, { ipAddress: "198.51.100.9", userAgent: "vitest" }));

async function failureOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(() => null, (caught: unknown) => caught);
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

const validPolicy = { ...DEFAULT_SECURITY_POLICY, idleTimeoutMinutes: 20, lockoutThreshold: 5, passwordExpiryDays: 180 };

describe("the tenant security policy", () => {
  it("is the defaults until saved, is saved by an admin with an audit event, and applies to this tenant only", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const caller = await callerFor(admin.sessionId);
    expect(await caller.security.policy()).toEqual(DEFAULT_SECURITY_POLICY);

    expect(await caller.security.updatePolicy(validPolicy)).toEqual(validPolicy);
    expect(await caller.security.policy()).toEqual(validPolicy);
    const otherAdmin = await createSignedInMember(other.id, { role: "admin" });
    expect(await (await callerFor(otherAdmin.sessionId)).security.policy()).toEqual(DEFAULT_SECURITY_POLICY);

    const [event] = await db().auditEvent.findMany({ where: { tenantId: tenant.id, action: "tenant.security_policy_updated" } });
    expect(event).toMatchObject({ actorId: admin.member.id, targetType: "tenant", targetId: tenant.id });
    expect(event!.changes).toEqual({
      idleTimeoutMinutes: { before: 30, after: 20 },
      lockoutThreshold: { before: 10, after: 5 },
      passwordExpiryDays: { before: null, after: 180 },
    });
  });

  it("refuses the limits NIST sets, with field errors", async () => {
    const tenant = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const caller = await callerFor(admin.sessionId);
    const cases: [Partial<typeof validPolicy>, string][] = [
      [{ idleTimeoutMinutes: 61 }, "idleTimeoutMinutes"],
      [{ absoluteLifetimeHours: 25 }, "absoluteLifetimeHours"],
      [{ lockoutThreshold: 101 }, "lockoutThreshold"],
      [{ passwordMinLength: 8 }, "passwordMinLength"],
      [{ lockoutMaxDurationMinutes: 5, lockoutDurationMinutes: 10 }, "lockoutMaxDurationMinutes"],
      [{ passwordHistoryCount: 25 }, "passwordHistoryCount"],
    ];
    for (const [change, field] of cases) {
      const error = await failureOf(caller.security.updatePolicy({ ...validPolicy, ...change }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(Object.keys(invalidFields(error))).toContain(field);
    }
    // Eight characters are enough once everyone must use a second factor.
    await expect(caller.security.updatePolicy({ ...validPolicy, mfaRequirement: "everyone", passwordMinLength: 8 })).resolves.toMatchObject({ passwordMinLength: 8 });
  });

  it("is for admins only", async () => {
    const tenant = await createTenant();
    const member = await createSignedInMember(tenant.id);
    const caller = await callerFor(member.sessionId);
    expect((await failureOf(caller.security.policy())).code).toBe("FORBIDDEN");
    expect((await failureOf(caller.security.updatePolicy(validPolicy))).code).toBe("FORBIDDEN");
  });
});

/** The flattened zod field errors the error formatter puts on a BAD_REQUEST (as the form reads them). */
function invalidFields(error: TRPCError): Record<string, unknown> {
  const cause = error.cause as { issues?: { path: (string | number)[] }[] } | undefined;
  return Object.fromEntries((cause?.issues ?? []).map((issue) => [String(issue.path[0]), true]));
}

describe("a member's sessions on the member page", () => {
  it("lists open sessions newest first with device and address, a keyset page at a time, and marks the admin's own", async () => {
    const tenant = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const member = await createMember(tenant.id);
    const ids: string[] = [];
    for (let index = 0; index < 3; index += 1) {
      ids.push(await createSession(db(), { tenantId: tenant.id, userId: member.id, ipAddress: `198.51.100.${index}`, userAgent: "Mozilla/5.0 (Windows NT 10.0) Firefox/130.0" }, new Date(Date.now() - (3 - index) * 1000)));
    }
    const ended = await createSession(db(), { tenantId: tenant.id, userId: member.id });
    await db().session.update({ where: { id: ended }, data: { revokedAt: new Date() } });
    const caller = await callerFor(admin.sessionId);

    const first = await caller.security.memberSessions({ memberId: member.id.toString(), limit: 2 });
    expect(first.items.map((session) => session.id)).toEqual([ids[2], ids[1]]);
    expect(first.items[0]).toMatchObject({ device: "Firefox on Windows", ipAddress: "198.51.100.2", current: false });
    const second = await caller.security.memberSessions({ memberId: member.id.toString(), limit: 2, cursor: first.nextCursor });
    expect(second).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });

    const own = await caller.security.memberSessions({ memberId: admin.member.id.toString() });
    expect(own.items).toMatchObject([{ id: admin.sessionId, current: true }]);
  });

  it("ends one session or all of them, signs those browsers out, records it and marks the member offline", async () => {
    const tenant = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const member = await createMember(tenant.id);
    const credentials = { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD };
    const [one, two, three] = [await signInWithPassword(db(), credentials, {}), await signInWithPassword(db(), credentials, {}), await signInWithPassword(db(), credentials, {})];
    const caller = await callerFor(admin.sessionId);

    expect(await caller.security.revokeSession({ memberId: member.id.toString(), sessionId: one.sessionId })).toEqual({ revoked: 1 });
    expect(await checkSession(db(), one.sessionId)).toEqual({ live: false, reason: "revoked" });
    expect((await checkSession(db(), two.sessionId)).live).toBe(true);
    expect((await failureOf(caller.security.revokeSession({ memberId: member.id.toString(), sessionId: one.sessionId }))).code).toBe("NOT_FOUND");

    expect(await caller.security.revokeAllSessions({ memberId: member.id.toString() })).toEqual({ revoked: 2 });
    expect((await checkSession(db(), three.sessionId)).live).toBe(false);
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).online).toBe(false);
    const actions = (await db().auditEvent.findMany({ where: { targetId: member.id, targetType: "member" }, orderBy: { id: "asc" } })).map((event) => event.action);
    expect(actions).toEqual(["member.session_revoked", "member.sessions_revoked"]);
  });

  it("cannot see or end another organisation's sessions", async () => {
    const tenant = await createTenant();
    const other = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const stranger = await createSignedInMember(other.id);
    const caller = await callerFor(admin.sessionId);
    expect((await failureOf(caller.security.memberSessions({ memberId: stranger.member.id.toString() }))).code).toBe("NOT_FOUND");
    expect((await failureOf(caller.security.revokeAllSessions({ memberId: stranger.member.id.toString() }))).code).toBe("NOT_FOUND");
    expect((await failureOf(caller.security.loginHistory({ memberId: stranger.member.id.toString() }))).code).toBe("NOT_FOUND");
    expect((await checkSession(db(), stranger.sessionId)).live).toBe(true);
  });
});

describe("a member's sign-in history", () => {
  it("pages newest first for admins, and the member sees their own", async () => {
    const tenant = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const member = await createMember(tenant.id);
    const base = Date.now() - 60_000;
    await db().loginAttempt.createMany({
      data: Array.from({ length: 5 }, (_, index) => ({
        tenantId: tenant.id,
        userId: member.id,
        login: member.username,
        result: index === 4 ? "success" : "failure",
        reason: index === 4 ? "signed_in" : "wrong_password",
        abnormal: index === 4,
        abnormalReason: index === 4 ? "new_device" : null,
        createdAt: new Date(base + index * 1000),
      })),
    });
    const caller = await callerFor(admin.sessionId);
    const first = await caller.security.loginHistory({ memberId: member.id.toString(), limit: 3 });
    expect(first.items.map((item) => item.result)).toEqual(["success", "failure", "failure"]);
    expect(first.items[0]).toMatchObject({ abnormal: true, abnormalReasons: ["new_device"] });
    const rest = await caller.security.loginHistory({ memberId: member.id.toString(), limit: 3, cursor: first.nextCursor });
    expect(rest.items).toHaveLength(2);
    expect(rest.nextCursor).toBeNull();

    const memberSession = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, {});
    const mine = await (await callerFor(memberSession.sessionId)).security.myLoginHistory({ limit: 10 });
    expect(mine.items).toHaveLength(6);
    expect((await failureOf((await callerFor(memberSession.sessionId)).security.loginHistory({ memberId: member.id.toString() }))).code).toBe("FORBIDDEN");
  });
});
