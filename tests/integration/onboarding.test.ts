import { createHash } from "node:crypto";
import { deliveredText } from "@/server/mail/secret-link";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { db } from "@/server/db/client";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { verifyPassword } from "@/server/auth/password";
import { PASSWORD_PROBLEM } from "@/server/auth/password-policy";
import { ConflictError, DomainError, ForbiddenError, InvalidTransitionError, NotFoundError, ValidationError } from "@/server/errors";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { archivedHolderMessage } from "@/server/members/member-conflicts";
import { acceptInvitation, INVITATION_NO_LONGER_VALID } from "@/server/onboarding/accept-invitation";
import { findOpenInvitation } from "@/server/onboarding/find-invitation";
import { getInvitationStatus } from "@/server/onboarding/get-invitation-status";
import { onboardMember } from "@/server/onboarding/onboard-member";
import { resendInvitation } from "@/server/onboarding/resend-invitation";
import { NO_MAIN_DEPARTMENT, type TOnboardMemberInput } from "@/server/onboarding/schemas";
import { createContextForSessionId } from "@/server/trpc/context";
import { enqueue } from "@/server/queue/enqueue";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, uniqueMobile } from "../support/factories";
import { makeJobsDue, runDueJobs, scheduledJob } from "../support/lifecycle";

const HOUR = 60 * 60 * 1000;
const STRONG_PASSWORD = "maple orbit velvet thunder canyon";
const CLIENT = { ipAddress: "203.0.113.9", userAgent: "vitest" };

let sequence = 0;

/** A tenant with a signed-in admin and a small catalogue: two departments, an app, a role, a group. */
async function scene() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin, ...CLIENT };
  const engineering = await db().department.create({ data: { tenantId: tenant.id, name: "Engineering" } });
  const support = await db().department.create({ data: { tenantId: tenant.id, name: "Support" } });
  const departed = await db().department.findFirstOrThrow({ where: { tenantId: tenant.id, kind: "departed" } });
  const app = await createCatalogItem(db(), actor, { kind: "application", name: "Payroll" });
  const role = await createCatalogItem(db(), actor, { kind: "role", name: "Engineer" });
  const group = await createCatalogItem(db(), actor, { kind: "group", name: "London" });
  const input = (overrides: Partial<TOnboardMemberInput> = {}): TOnboardMemberInput => {
    sequence += 1;
    return {
      firstName: "Nadia",
      lastName: `Newcomer${sequence}`,
      username: `nadia${sequence}`,
      email: `nadia${sequence}@example.test`,
      mobile: uniqueMobile(),
      country: "GB",
      departmentIds: [engineering.id.toString(), support.id.toString()],
      mainDepartmentId: support.id.toString(),
      applicationIds: [app.id.toString()],
      roleIds: [role.id.toString()],
      groupIds: [group.id.toString()],
      ...overrides,
    };
  };
  return { tenant, admin, actor, engineering, support, departed, app, role, group, input, caller: createCaller(await createContextForSessionId(sessionId)) };
}

const tokenIn = (text: string) => /\/invite\/([A-Za-z0-9_-]{43})\n/.exec(text)?.[1] ?? null;

async function invitationMailOf(memberId: bigint) {
  const mails = await db().outboxMail.findMany({ where: { userId: memberId, kind: "invitation" }, orderBy: { id: "asc" } });
  const latest = mails.at(-1)!;
  // The stored body holds a placeholder; delivery puts the sealed link in.
  return { mails, latest, token: tokenIn(deliveredText(latest))! };
}

/** The code and field errors a procedure answers with (what the error formatter sends the form). */
async function refusalOf(call: Promise<unknown>): Promise<{ code: string; fieldErrors: Record<string, string[] | undefined> | null }> {
  const error = await call.then(
    () => expect.fail("expected the call to be refused"),
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw error;
  const cause = error.cause;
  const fieldErrors = cause instanceof ZodError ? z.flattenError(cause).fieldErrors : cause instanceof DomainError ? cause.fieldErrors : null;
  return { code: error.code, fieldErrors };
}

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const eventsOf = async (memberId: bigint) =>
  (await db().auditEvent.findMany({ where: { targetType: "member", targetId: memberId }, orderBy: { id: "asc" } })).map((event) => event.action);

describe("onboarding a member", () => {
  it("creates the account with departments, main department, apps, roles, groups, one audit event and an invitation, all at once", async () => {
    const { tenant, admin, actor, engineering, support, app, role, group, input } = await scene();
    const created = await onboardMember(db(), actor, input({ title: "Engineer" }));

    expect(created.state).toBe("active");
    const member = await db().user.findUniqueOrThrow({ where: { id: created.id } });
    expect(member).toMatchObject({ state: "active", enabled: true, startDate: null, source: "console", mainDepartmentId: support.id, createdBy: admin.id, passwordHash: null });
    const departments = await db().departmentMember.findMany({ where: { userId: member.id }, orderBy: { departmentId: "asc" } });
    expect(departments.map((row) => row.departmentId)).toEqual([engineering.id, support.id].sort((a, b) => Number(a - b)));
    expect(await db().memberApplication.findMany({ where: { userId: member.id } })).toMatchObject([{ applicationId: app.id, grantedBy: admin.id }]);
    expect(await db().memberRole.findMany({ where: { userId: member.id } })).toMatchObject([{ roleId: role.id, grantedBy: admin.id }]);
    expect(await db().memberGroup.findMany({ where: { userId: member.id } })).toMatchObject([{ groupId: group.id, grantedBy: admin.id }]);

    const [event, ...others] = await db().auditEvent.findMany({ where: { targetType: "member", targetId: member.id } });
    expect(others).toEqual([]);
    expect(event).toMatchObject({ action: "member.onboarded", actorId: admin.id, ipAddress: CLIENT.ipAddress });
    expect(event!.changes).toMatchObject({
      username: { before: null, after: member.username },
      state: { before: null, after: "active" },
      mainDepartmentId: { before: null, after: { id: support.id.toString(), name: "Support" } },
      departments: { before: null, after: [{ name: "Engineering" }, { name: "Support" }] },
      applications: { before: null, after: [{ id: app.id.toString(), name: "Payroll" }] },
      roles: { before: null, after: [{ name: "Engineer" }] },
      groups: { before: null, after: [{ name: "London" }] },
    });

    // The invitation: mailed through the outbox, its token only in the mail, its SHA-256 in the table.
    const { mails, latest, token } = await invitationMailOf(member.id);
    expect(mails).toHaveLength(1);
    expect(latest).toMatchObject({ tenantId: tenant.id, toAddress: member.email, subject: `You're invited to ${tenant.name}`, status: "held" });
    expect(latest.bodyText).not.toContain(token);
    expect(deliveredText(latest)).toContain(`http://localhost:3000/invite/${token}`);
    expect(latest.bodyText).toContain(`"${tenant.slug}"`);
    expect(latest.bodyText).toContain(`"${member.username}"`);
    const [invitation] = await db().invitation.findMany({ where: { userId: member.id } });
    expect(invitation!.tokenHash).toBe(sha256(token));
    expect(invitation!.tokenHash).not.toContain(token);
    expect(invitation!.expiresAt.getTime() - invitation!.createdAt.getTime()).toBe(7 * 24 * HOUR);
    expect(invitation!.usedAt).toBeNull();
    // No job at all without a start date.
    expect(await scheduledJob(memberJobKey("activate", member.id))).toBeNull();
  });

  it("a member with no department, app, role or group is fine; a main department outside the chosen ones is refused", async () => {
    const { caller, input, engineering, support } = await scene();
    const bare = await caller.onboarding.onboard(input({ departmentIds: [], mainDepartmentId: null, applicationIds: [], roleIds: [], groupIds: [] }));
    expect(await db().user.findUniqueOrThrow({ where: { id: BigInt(bare.id) }, select: { mainDepartmentId: true } })).toEqual({ mainDepartmentId: null });

    expect(await refusalOf(caller.onboarding.onboard(input({ departmentIds: [engineering.id.toString()], mainDepartmentId: support.id.toString() })))).toEqual({
      code: "BAD_REQUEST",
      fieldErrors: { mainDepartmentId: [NO_MAIN_DEPARTMENT] },
    });
    expect(await refusalOf(caller.onboarding.onboard(input({ departmentIds: [engineering.id.toString()], mainDepartmentId: null })))).toEqual({
      code: "BAD_REQUEST",
      fieldErrors: { mainDepartmentId: [NO_MAIN_DEPARTMENT] },
    });
    expect(await refusalOf(caller.onboarding.onboard(input({ startDate: new Date(Date.now() - HOUR) })))).toEqual({
      code: "BAD_REQUEST",
      fieldErrors: { startDate: ["The start date must be in the future"] },
    });
  });

  it("is one transaction: a grant that fails (a role of another tenant) leaves no member, membership, mail, invitation, job or event", async () => {
    const { tenant, actor, input, caller } = await scene();
    const other = await scene();
    const attempt = input({ roleIds: [other.role.id.toString()], startDate: new Date(Date.now() + HOUR) });

    const error = await onboardMember(db(), actor, attempt).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors).toEqual({ roleIds: ["A chosen role no longer exists"] });
    expect(await refusalOf(caller.onboarding.onboard(attempt))).toEqual({ code: "BAD_REQUEST", fieldErrors: { roleIds: ["A chosen role no longer exists"] } });

    expect(await db().user.count({ where: { tenantId: tenant.id, username: attempt.username } })).toBe(0);
    expect(await db().departmentMember.count({ where: { department: { tenantId: tenant.id } } })).toBe(0);
    expect(await db().memberApplication.count({ where: { application: { tenantId: tenant.id } } })).toBe(0);
    expect(await db().invitation.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await db().outboxMail.count({ where: { tenantId: tenant.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id, action: "member.onboarded" } })).toBe(0);
    const [jobs] = await db().$queryRaw<{ count: bigint }[]>`SELECT count(*) FROM graphile_worker.jobs WHERE task_identifier = 'member__activate'`;
    expect(Number(jobs!.count)).toBe(0);
  });

  it("refuses every id of another tenant (and the Departed department) on its own field", async () => {
    const { actor, input, departed } = await scene();
    const other = await scene();
    const refusals: [Partial<TOnboardMemberInput>, string][] = [
      [{ departmentIds: [other.engineering.id.toString()], mainDepartmentId: other.engineering.id.toString() }, "departmentIds"],
      [{ departmentIds: [departed.id.toString()], mainDepartmentId: departed.id.toString() }, "departmentIds"],
      [{ applicationIds: [other.app.id.toString()] }, "applicationIds"],
      [{ groupIds: [other.group.id.toString()] }, "groupIds"],
      [{ templateId: "999999999" }, "templateId"],
    ];
    for (const [overrides, field] of refusals) {
      const error = await onboardMember(db(), actor, input(overrides)).catch((caught: unknown) => caught);
      expect(error, field).toBeInstanceOf(ValidationError);
      expect(Object.keys((error as ValidationError).fieldErrors)).toEqual([field]);
    }
  });

  it("puts username, email and mobile conflicts on their fields, with the archived-member message, and keeps the owner role for owners", async () => {
    const { tenant, actor, input } = await scene();
    const existing = await createMember(tenant.id);
    const byUsername = await onboardMember(db(), actor, input({ username: existing.username.toUpperCase() })).catch((caught: unknown) => caught);
    expect(byUsername).toBeInstanceOf(ConflictError);
    expect((byUsername as ConflictError).fieldErrors).toEqual({ username: ["This username is already taken in your organisation"] });
    const byMobile = await onboardMember(db(), actor, input({ mobile: existing.mobile! })).catch((caught: unknown) => caught);
    expect((byMobile as ConflictError).fieldErrors).toHaveProperty("mobile");

    const archived = await createMember(tenant.id, { state: "archived" });
    const byEmail = await onboardMember(db(), actor, input({ email: archived.email })).catch((caught: unknown) => caught);
    expect((byEmail as ConflictError).fieldErrors).toEqual({ email: [archivedHolderMessage("email", archived)] });
    expect((byEmail as ConflictError).message).not.toContain("contact the administrator");

    await expect(onboardMember(db(), actor, input({ role: "owner" }))).rejects.toBeInstanceOf(ForbiddenError);
  });

  it("refuses callers who are not administrators", async () => {
    const { tenant, input } = await scene();
    const { sessionId } = await createSignedInMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(sessionId));
    await expect(caller.onboarding.onboard(input())).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(createCaller(await createContextForSessionId(null)).onboarding.onboard(input())).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("a start date", () => {
  it("keeps the member pending and schedules their activation at that moment; the job run late activates them, and a second run changes nothing", async () => {
    const { actor, input } = await scene();
    const startDate = new Date(Date.now() + 3 * 24 * HOUR);
    const created = await onboardMember(db(), actor, input({ startDate }));

    expect(created.state).toBe("pending");
    expect(await db().user.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ state: "pending", enabled: true, startDate });
    const job = await scheduledJob(memberJobKey("activate", created.id));
    expect(job).toMatchObject({ task_identifier: "member__activate" });
    expect(job!.run_at.getTime()).toBe(startDate.getTime());
    expect((await invitationMailOf(created.id)).latest.bodyText).toContain("Your account opens on");

    // Not due yet: a run leaves the member pending.
    await runDueJobs();
    expect((await db().user.findUniqueOrThrow({ where: { id: created.id } })).state).toBe("pending");

    // The worker was down: the start date passed an hour ago, the job runs late.
    await db().user.update({ where: { id: created.id }, data: { startDate: new Date(Date.now() - HOUR) } });
    expect(await makeJobsDue(memberJobKey("activate", created.id))).toBe(1);
    await runDueJobs();
    expect(await db().user.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ state: "active", enabled: true });
    expect(await scheduledJob(memberJobKey("activate", created.id))).toBeNull();

    // Twice (a retried job): nothing more happens.
    await db().$transaction((tx) => enqueue(tx, "member__activate", { memberId: created.id.toString() }, { jobKey: memberJobKey("activate", created.id) }));
    await runDueJobs();
    expect((await db().user.findUniqueOrThrow({ where: { id: created.id } })).state).toBe("active");
    expect((await eventsOf(created.id)).filter((action) => action === "member.activate")).toHaveLength(1);
  });
});

describe("invitations", () => {
  it("sets the first password once: the link then stops working, and the audit records it", async () => {
    const { tenant, actor, input, caller } = await scene();
    const created = await onboardMember(db(), actor, input());
    const { token } = await invitationMailOf(created.id);
    const publicCaller = createCaller(await createContextForSessionId(null, CLIENT));

    expect(await publicCaller.onboarding.invitation({ token })).toEqual({ organisation: tenant.name, username: created.username, startDate: null, passwordMinLength: 15 });
    const accepted = await publicCaller.onboarding.acceptInvitation({ token, newPassword: STRONG_PASSWORD, confirmation: STRONG_PASSWORD });
    expect(accepted).toEqual({ organisation: tenant.slug, username: created.username, startDate: null });

    const member = await db().user.findUniqueOrThrow({ where: { id: created.id } });
    expect(await verifyPassword(member.passwordHash!, STRONG_PASSWORD)).toBe(true);
    expect(member.passwordChangedAt).toBeInstanceOf(Date);
    expect((await db().invitation.findFirstOrThrow({ where: { userId: created.id } })).usedAt).toBeInstanceOf(Date);
    const accepting = await db().auditEvent.findFirstOrThrow({ where: { targetId: created.id, action: "member.invitation_accepted" } });
    expect(accepting).toMatchObject({ actorId: created.id, ipAddress: CLIENT.ipAddress });

    // Single use: the same link, used again, opens nothing.
    expect(await publicCaller.onboarding.invitation({ token })).toBeNull();
    await expect(publicCaller.onboarding.acceptInvitation({ token, newPassword: "another long enough passphrase", confirmation: "another long enough passphrase" })).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: INVITATION_NO_LONGER_VALID,
    });
    expect(await verifyPassword((await db().user.findUniqueOrThrow({ where: { id: created.id } })).passwordHash!, STRONG_PASSWORD)).toBe(true);
    // And the admin can no longer send one: the member has a password.
    expect(await caller.onboarding.invitationStatus({ memberId: created.id.toString() })).toMatchObject({ hasPassword: true, canResend: false, latest: { status: "accepted" } });
    await expect(resendInvitation(db(), actor, { memberId: created.id.toString() })).rejects.toThrow(new InvalidTransitionError("The member has already chosen a password"));
  });

  it("expires after seven days, and every unusable link gets the same answer", async () => {
    const { actor, input } = await scene();
    const created = await onboardMember(db(), actor, input());
    const { token } = await invitationMailOf(created.id);
    await db().invitation.updateMany({ where: { userId: created.id }, data: { expiresAt: new Date(Date.now() - 1000) } });

    expect(await findOpenInvitation(db(), token)).toBeNull();
    expect(await findOpenInvitation(db(), "x".repeat(43))).toBeNull();
    expect(await findOpenInvitation(db(), "not even a token")).toBeNull();
    for (const candidate of [token, "x".repeat(43)]) {
      const error = await acceptInvitation(db(), CLIENT, { token: candidate, newPassword: STRONG_PASSWORD, confirmation: STRONG_PASSWORD }).catch((caught: unknown) => caught);
      expect(error).toEqual(new NotFoundError(INVITATION_NO_LONGER_VALID));
    }
    expect((await db().user.findUniqueOrThrow({ where: { id: created.id } })).passwordHash).toBeNull();
    expect((await getInvitationStatus(db(), actor.tenantId, created.id)).latest?.status).toBe("expired");
  });

  it("applies the password rules and the confirmation, leaving the invitation usable", async () => {
    const { actor, input } = await scene();
    const created = await onboardMember(db(), actor, input());
    const { token } = await invitationMailOf(created.id);
    const weak = await acceptInvitation(db(), CLIENT, { token, newPassword: "short", confirmation: "short" }).catch((caught: unknown) => caught);
    expect((weak as ValidationError).fieldErrors.newPassword).toEqual(["At least 15 characters"]);
    const personal = `${created.username} is my password`;
    const own = await acceptInvitation(db(), CLIENT, { token, newPassword: personal, confirmation: personal }).catch((caught: unknown) => caught);
    expect((own as ValidationError).fieldErrors.newPassword).toEqual([PASSWORD_PROBLEM.personal]);
    const publicCaller = createCaller(await createContextForSessionId(null));
    expect(await refusalOf(publicCaller.onboarding.acceptInvitation({ token, newPassword: STRONG_PASSWORD, confirmation: "something else entirely" }))).toEqual({
      code: "BAD_REQUEST",
      fieldErrors: { confirmation: ["The two passwords differ"] },
    });
    expect(await findOpenInvitation(db(), token)).not.toBeNull();
  });

  it("re-sending invalidates the earlier links; a disabled member's link stops working and they cannot be re-invited", async () => {
    const { actor, input, caller } = await scene();
    const created = await onboardMember(db(), actor, input());
    const first = (await invitationMailOf(created.id)).token;

    const resent = await caller.onboarding.resendInvitation({ memberId: created.id.toString() });
    expect(resent.sentTo).toBe((await db().user.findUniqueOrThrow({ where: { id: created.id } })).email);
    const { mails, token: second } = await invitationMailOf(created.id);
    expect(mails).toHaveLength(2);
    expect(second).not.toBe(first);
    expect(await findOpenInvitation(db(), first)).toBeNull();
    expect(await findOpenInvitation(db(), second)).toMatchObject({ memberId: created.id });
    expect(await eventsOf(created.id)).toEqual(["member.onboarded", "member.invitation_sent"]);

    await runLifecycleAction(db(), actor, { action: "disable", memberIds: [created.id.toString()], reason: "Start cancelled" });
    expect(await findOpenInvitation(db(), second)).toBeNull();
    await expect(acceptInvitation(db(), CLIENT, { token: second, newPassword: STRONG_PASSWORD, confirmation: STRONG_PASSWORD })).rejects.toThrow(INVITATION_NO_LONGER_VALID);
    await expect(resendInvitation(db(), actor, { memberId: created.id.toString() })).rejects.toThrow(new InvalidTransitionError("A disabled member cannot be invited"));

    const other = await scene();
    await expect(resendInvitation(db(), actor, { memberId: (await createMember(other.tenant.id, { password: null })).id.toString() })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("invites a member an admin created without onboarding (no password yet)", async () => {
    const { tenant, actor } = await scene();
    const member = await createMember(tenant.id, { password: null });
    expect(await getInvitationStatus(db(), tenant.id, member.id)).toEqual({ hasPassword: false, canResend: true, refusal: null, latest: null });
    await resendInvitation(db(), actor, { memberId: member.id.toString() });
    const { token } = await invitationMailOf(member.id);
    await acceptInvitation(db(), CLIENT, { token, newPassword: STRONG_PASSWORD, confirmation: STRONG_PASSWORD });
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).passwordHash).not.toBeNull();
  });
});
