import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { db } from "@/server/db/client";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { totpCode } from "@/server/auth/mfa/totp";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { DEFAULT_SECURITY_POLICY } from "@/server/auth/security-policy-schemas";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";

const SIX_MINUTES = 6 * 60 * 1000;
const client = { ipAddress: "198.51.100.30", userAgent: "vitest" };

/** The session proved a factor long enough ago that it no longer counts. */
const makeStale = (sessionId: string) => db().session.update({ where: { id: sessionId }, data: { steppedUpAt: new Date(Date.now() - SIX_MINUTES) } });

async function errorOf(promise: Promise<unknown>): Promise<TRPCError | null> {
  return promise.then(
    () => null,
    (error: unknown) => error as TRPCError,
  );
}

/** Refused with FORBIDDEN and the step-up cause (what the form turns into "Confirm it's you"). */
async function expectStepUpRequired(promise: Promise<unknown>) {
  const error = await errorOf(promise);
  expect(error).toBeInstanceOf(TRPCError);
  expect(error?.code).toBe("FORBIDDEN");
  expect(error?.cause).toBeInstanceOf(StepUpRequiredError);
}

async function adminScene() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "owner" });
  const caller = createCaller(await createContextForSessionId(sessionId, client));
  const actor = { tenantId: tenant.id, memberId: admin.id };
  const role = await createCatalogItem(db(), actor, { kind: "role", name: "Support" });
  const policy = await createCatalogItem(db(), actor, { kind: "policy", name: "Read tickets", permission: "tickets:read" });
  const group = await createCatalogItem(db(), actor, { kind: "group", name: "London" });
  const member = await createMember(tenant.id);
  return { tenant, admin, sessionId, caller, role, policy, group, member };
}

/** The member edit form's values for `member`, with a role. */
async function editValues(memberId: bigint, role: "member" | "admin") {
  const current = await db().user.findUniqueOrThrow({ where: { id: memberId } });
  return {
    memberId: memberId.toString(),
    expectedLastModifiedDate: current.updatedAt,
    firstName: current.firstName,
    lastName: current.lastName,
    fullName: current.fullName,
    username: current.username,
    email: current.email,
    mobile: current.mobile!,
    country: "GB",
    role,
  };
}

describe("sensitive procedures ask for a recent step-up themselves", () => {
  it("refuse every sensitive change from a session that proved nothing in five minutes, and do it once it steps up", async () => {
    const { tenant, sessionId, caller, role, policy, group, member } = await adminScene();
    await makeStale(sessionId);
    const id = member.id.toString();

    await expectStepUpRequired(caller.access.grant({ kind: "role", itemId: role.id.toString(), memberIds: [id] }));
    await expectStepUpRequired(caller.access.grant({ kind: "policy", itemId: policy.id.toString(), memberIds: [id] }));
    await expectStepUpRequired(caller.access.setRolePolicies({ roleId: role.id.toString(), policyIds: [policy.id.toString()] }));
    await expectStepUpRequired(caller.members.update(await editValues(member.id, "admin")));
    await expectStepUpRequired(caller.lifecycle.hardDelete({ memberId: id, confirmUsername: member.username }));
    await expectStepUpRequired(caller.security.updatePolicy({ ...DEFAULT_SECURITY_POLICY, idleTimeoutMinutes: 20 }));
    await expectStepUpRequired(caller.selfService.updateSettings({ editableFields: ["mobile"] }));
    await expectStepUpRequired(caller.auth.mfa.start());
    // Nothing was changed by any of them.
    expect(await db().memberRole.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().memberPolicy.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().rolePolicy.count({ where: { roleId: role.id } })).toBe(0);
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).sysAdmin).toBe(0);
    expect(await db().tenantSecurityPolicy.count({ where: { tenantId: tenant.id } })).toBe(0);

    // What is not sensitive goes on without one: a group, a profile edit that keeps the role.
    await caller.access.grant({ kind: "group", itemId: group.id.toString(), memberIds: [id] });
    await caller.members.update({ ...(await editValues(member.id, "member")), lastName: "Renamed" });

    expect((await caller.auth.stepUp({ method: "password", secret: TEST_PASSWORD })).steppedUpUntil.getTime()).toBeGreaterThan(Date.now());
    await caller.access.grant({ kind: "role", itemId: role.id.toString(), memberIds: [id] });
    await caller.access.grant({ kind: "policy", itemId: policy.id.toString(), memberIds: [id] });
    await caller.access.revoke({ kind: "policy", itemId: policy.id.toString(), memberId: id });
    await caller.access.setRolePolicies({ roleId: role.id.toString(), policyIds: [policy.id.toString()] });
    await caller.members.update(await editValues(member.id, "admin"));
    await caller.security.updatePolicy({ ...DEFAULT_SECURITY_POLICY, idleTimeoutMinutes: 20 });
    await caller.selfService.updateSettings({ editableFields: ["mobile"] });
    await caller.lifecycle.hardDelete({ memberId: id, confirmUsername: member.username });
    expect(await db().user.count({ where: { id: member.id } })).toBe(0);

    // Five minutes on, it must step up again.
    await makeStale(sessionId);
    await expectStepUpRequired(caller.access.revoke({ kind: "role", itemId: role.id.toString(), memberId: (await createMember(tenant.id)).id.toString() }));
  });

  it("counts signing in as a step-up: a fresh session may act at once", async () => {
    const { caller, role, member } = await adminScene();
    expect(await caller.access.grant({ kind: "role", itemId: role.id.toString(), memberIds: [member.id.toString()] })).toMatchObject({ granted: 1 });
  });

  it("tells the browser through the API's error data, so the form can ask and retry", async () => {
    const { sessionId, role } = await adminScene();
    await makeStale(sessionId);
    const response = await trpcPost(
      new Request("http://localhost:3000/api/trpc/access.setRolePolicies", {
        method: "POST",
        headers: { "content-type": "application/json", cookie: await sessionCookieFor(sessionId) },
        body: JSON.stringify({ json: { roleId: role.id.toString(), policyIds: [] } }),
      }),
    );
    expect(response.status).toBe(403);
    const body = (await response.json()) as { error: { json: { message: string; data: { stepUpRequired: boolean } } } };
    expect(body.error.json.data.stepUpRequired).toBe(true);
    expect(body.error.json.message).toMatch(/Confirm it's you/);
  });
});

describe("stepping up", () => {
  it("refuses a wrong password as a failed attempt, and accepts a TOTP code (once) as well as the password", async () => {
    const { admin, sessionId, caller } = await adminScene();
    const { secret } = await caller.auth.mfa.start();
    await caller.auth.mfa.confirm({ code: totpCode(secret, new Date(Date.now() - 30_000)) });
    await makeStale(sessionId);

    const wrong = await errorOf(caller.auth.stepUp({ method: "password", secret: "not the password at all" }));
    expect(wrong?.code).toBe("BAD_REQUEST");
    expect((wrong?.cause as { fieldErrors?: Record<string, string[]> }).fieldErrors?.secret).toEqual(["That is not your password"]);
    const failures = await db().loginAttempt.findMany({ where: { userId: admin.id }, select: { result: true, reason: true } });
    expect(failures).toEqual([{ result: "failure", reason: "wrong_password" }]);
    await expectStepUpRequired(caller.auth.mfa.regenerateRecoveryCodes());

    const code = totpCode(secret, new Date());
    await caller.auth.stepUp({ method: "code", secret: code });
    expect((await caller.auth.mfa.regenerateRecoveryCodes()).recoveryCodes).toHaveLength(10);
    await makeStale(sessionId);
    expect((await errorOf(caller.auth.stepUp({ method: "code", secret: code })))?.code).toBe("BAD_REQUEST");
  });

  it("only counts for the session that stepped up", async () => {
    const { admin, tenant, caller, role, member } = await adminScene();
    const other = await createSignedInMember(tenant.id, { role: "member" });
    await makeStale(other.sessionId);
    // A second browser of the same admin, idle for a while: the first one's step-up does not carry over.
    const secondSession = await db().session.create({
      data: { tenantId: tenant.id, userId: admin.id, expiresAt: new Date(Date.now() + 3_600_000), steppedUpAt: new Date(Date.now() - SIX_MINUTES) },
    });
    await caller.auth.stepUp({ method: "password", secret: TEST_PASSWORD });
    const second = createCaller(await createContextForSessionId(secondSession.id, client));
    await expectStepUpRequired(second.access.grant({ kind: "role", itemId: role.id.toString(), memberIds: [member.id.toString()] }));
  });
});

describe("granting admin and resetting a member's MFA", () => {
  it("creating or onboarding an admin needs a recent step-up; a plain member does not", async () => {
    const { sessionId, caller } = await adminScene();
    await makeStale(sessionId);
    const profile = (username: string, mobile: string) => ({ firstName: "New", lastName: "Person", username, email: `${username}@example.test`, mobile, country: "GB" });
    await expectStepUpRequired(caller.members.create({ ...profile("newadmin", "07400 900001"), role: "admin" }));
    await expectStepUpRequired(caller.onboarding.onboard({ ...profile("onboardedadmin", "07400 900002"), role: "admin", departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] } as never));
    expect(await db().user.count({ where: { username: { in: ["newadmin", "onboardedadmin"] } } })).toBe(0);
    await caller.members.create({ ...profile("plainmember", "07400 900003"), role: "member" });
    await caller.auth.stepUp({ method: "password", secret: TEST_PASSWORD });
    await caller.members.create({ ...profile("newadmin", "07400 900001"), role: "admin" });
    expect((await db().user.findFirstOrThrow({ where: { username: "newadmin" } })).sysAdmin).toBe(1);
  });

  it("an admin resets a member's lost authenticator: secret and codes gone, sessions ended, high-risk audit event", async () => {
    const { tenant, caller } = await adminScene();
    const { member, sessionId: memberSessionId } = await createSignedInMember(tenant.id);
    const memberCaller = createCaller(await createContextForSessionId(memberSessionId, client));
    const { secret } = await memberCaller.auth.mfa.start();
    await memberCaller.auth.mfa.confirm({ code: totpCode(secret, new Date()) });
    expect(await caller.auth.mfa.ofMember({ memberId: member.id.toString() })).toMatchObject({ enabled: true, recoveryCodesLeft: 10 });

    expect(await caller.auth.mfa.resetForMember({ memberId: member.id.toString() })).toMatchObject({ reset: true, sessionsEnded: 1 });
    expect(await caller.auth.mfa.ofMember({ memberId: member.id.toString() })).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
    expect(await db().mfaRecoveryCode.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { targetId: member.id, action: "member.mfa_reset" } })).toBe(1);
    expect((await caller.audit.list({ highRiskOnly: true, action: "member.mfa_reset" })).items).toHaveLength(1);
    await expect(caller.auth.mfa.resetForMember({ memberId: member.id.toString() })).rejects.toMatchObject({ code: "PRECONDITION_FAILED" });
    await expect(memberCaller.auth.mfa.resetForMember({ memberId: member.id.toString() })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
