import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { checkSession, createSession } from "@/server/auth/sessions";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { OWNER_ONLY_MESSAGE } from "@/server/shared/member-authority";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, uniqueMobile } from "../support/factories";
import { adminOf, csv, report, reportRows, runDueJobs, upload } from "./member-import-helpers";

// "Only an owner acts on an owner", on every path that targets a member, and
// a moved sign-in contact is told to its old address. Each attack is a plain
// admin's real procedure call against an owner.

type TCaller = ReturnType<typeof createCaller>;

async function signedIn(tenantId: bigint, role: "member" | "admin" | "owner") {
  const { member, sessionId } = await createSignedInMember(tenantId, { role });
  return { member, sessionId, caller: createCaller(await createContextForSessionId(sessionId)) };
}

async function editForm(caller: TCaller, memberId: bigint) {
  const detail = await caller.members.get({ memberId: memberId.toString() });
  return {
    memberId: memberId.toString(),
    expectedLastModifiedDate: detail.updatedAt,
    firstName: detail.firstName,
    lastName: detail.lastName,
    fullName: detail.fullName,
    username: detail.username,
    email: detail.email,
    mobile: detail.mobile!,
    country: detail.country ?? "GB",
    role: detail.role,
  };
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as TRPCError);

async function makeStepUpStale(sessionId: string) {
  await db().session.update({ where: { id: sessionId }, data: { steppedUpAt: new Date(Date.now() - 10 * 60 * 1000) } });
}

const contactMails = (memberId: bigint) => db().outboxMail.findMany({ where: { userId: memberId, kind: "contact_changed" } });

describe("only an owner acts on an owner", () => {
  it("members.update: a plain admin cannot change any field of an owner (email included); an owner can, and the old address is told", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant.id, "admin");
    const owner = await signedIn(tenant.id, "owner");
    const target = await createMember(tenant.id, { role: "owner" });
    const form = await editForm(admin.caller, target.id);

    const byAdmin = await refusal(admin.caller.members.update({ ...form, email: "attacker@evil.test" }));
    expect(byAdmin).toMatchObject({ code: "FORBIDDEN", message: OWNER_ONLY_MESSAGE });
    expect(await refusal(admin.caller.members.update({ ...form, title: "Renamed" }))).toMatchObject({ code: "FORBIDDEN" });
    expect((await db().user.findUniqueOrThrow({ where: { id: target.id } })).email).toBe(target.email);
    expect(await contactMails(target.id)).toHaveLength(0);

    await owner.caller.members.update({ ...form, email: "new-owner-address@example.test" });
    const [notice] = await contactMails(target.id);
    expect(notice).toMatchObject({ toAddress: target.email, subject: "The email address of your account was changed" });
    expect(notice!.bodyText).not.toContain("new-owner-address");
  });

  it("an admin may still edit an admin or a member, and a changed mobile is told to the member's address", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant.id, "admin");
    const member = await createMember(tenant.id);
    const form = await editForm(admin.caller, member.id);
    await admin.caller.members.update({ ...form, mobile: uniqueMobile() });
    expect(await contactMails(member.id)).toEqual([expect.objectContaining({ toAddress: member.email, subject: "The mobile number of your account was changed" })]);
  });

  it("invitations: a plain admin cannot resend an owner's invitation (its link would be theirs to read)", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant.id, "admin");
    const owner = await signedIn(tenant.id, "owner");
    const invitedOwner = await createMember(tenant.id, { role: "owner", password: null, state: "pending" });
    expect(await refusal(admin.caller.onboarding.resendInvitation({ memberId: invitedOwner.id.toString() }))).toMatchObject({ code: "FORBIDDEN", message: OWNER_ONLY_MESSAGE });
    expect(await db().invitation.count({ where: { userId: invitedOwner.id } })).toBe(0);
    await expect(owner.caller.onboarding.resendInvitation({ memberId: invitedOwner.id.toString() })).resolves.toMatchObject({ sentTo: invitedOwner.email });
  });

  it("two-step verification: a plain admin cannot reset an owner's", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant.id, "admin");
    const owner = await createMember(tenant.id, { role: "owner" });
    await db().memberMfa.create({ data: { userId: owner.id, secretEncrypted: "v1.x", enabledAt: new Date() } });
    expect(await refusal(admin.caller.auth.mfa.resetForMember({ memberId: owner.id.toString() }))).toMatchObject({ code: "FORBIDDEN", message: OWNER_ONLY_MESSAGE });
    expect(await db().memberMfa.count({ where: { userId: owner.id } })).toBe(1);
  });

  it("sessions: a plain admin cannot end an owner's sessions, one or all", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant.id, "admin");
    const owner = await signedIn(tenant.id, "owner");
    const ownerId = owner.member.id.toString();
    expect(await refusal(admin.caller.security.revokeSession({ memberId: ownerId, sessionId: owner.sessionId }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(admin.caller.security.revokeAllSessions({ memberId: ownerId }))).toMatchObject({ code: "FORBIDDEN" });
    expect(await checkSession(db(), owner.sessionId)).toMatchObject({ live: true });
    // An admin's sessions remain an admin's business.
    const other = await signedIn(tenant.id, "admin");
    await expect(admin.caller.security.revokeAllSessions({ memberId: other.member.id.toString() })).resolves.toEqual({ revoked: 1 });
  });

  it("access: a plain admin cannot grant to or revoke from an owner", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant.id, "admin");
    const owner = await signedIn(tenant.id, "owner");
    const target = await createMember(tenant.id, { role: "owner" });
    const app = await owner.caller.access.create({ kind: "application", name: "Payroll" });
    const grant = { kind: "application" as const, itemId: app.id, memberIds: [target.id.toString()] };
    expect(await refusal(admin.caller.access.grant(grant))).toMatchObject({ code: "FORBIDDEN" });
    await owner.caller.access.grant(grant);
    expect(await refusal(admin.caller.access.revoke({ kind: "application", itemId: app.id, memberId: target.id.toString() }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("import: a row that would change an owner's record (any field) fails as a row error for a plain admin, and applying re-checks it", async () => {
    const tenant = await createTenant();
    const owner = await createMember(tenant.id, { role: "owner" });
    const plain = await createMember(tenant.id);
    const admin = await adminOf(tenant.id, "admin");
    const rows = [
      ["username", "email"],
      [owner.username, "attacker@evil.test"],
      [plain.username, "plain-new@example.test"],
    ];
    const { summary } = await upload(admin.cookie, csv(rows));
    const dryRun = await report(admin.cookie, summary.id);
    expect(reportRows(dryRun.text).find((cells) => cells.includes(owner.username))?.join(" ")).toContain(OWNER_ONLY_MESSAGE);

    await admin.caller.imports.start({ importId: summary.id });
    await runDueJobs();
    expect((await db().user.findUniqueOrThrow({ where: { id: owner.id } })).email).toBe(owner.email);
    expect((await db().user.findUniqueOrThrow({ where: { id: plain.id } })).email).toBe("plain-new@example.test");
    expect(await contactMails(plain.id)).toEqual([expect.objectContaining({ toAddress: plain.email })]);
    expect(await contactMails(owner.id)).toHaveLength(0);
  });
});

describe("changing one's own sign-in contact", () => {
  it("members.update on oneself needs a fresh step-up for email or mobile, not for other fields", async () => {
    const tenant = await createTenant();
    const admin = await signedIn(tenant.id, "admin");
    await makeStepUpStale(admin.sessionId);
    const form = await editForm(admin.caller, admin.member.id);
    const stale = await refusal(admin.caller.members.update({ ...form, email: "moved@example.test" }));
    expect(stale?.code).toBe("FORBIDDEN");
    expect(stale?.cause).toBeInstanceOf(StepUpRequiredError);
    await admin.caller.members.update({ ...form, title: "Lead" });
    expect(await db().user.findUniqueOrThrow({ where: { id: admin.member.id } })).toMatchObject({ title: "Lead", email: admin.member.email });
  });

  it("the self-service profile edit (mobile is editable by default) needs a fresh step-up to change the mobile, and tells the old address", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const sessionId = await createSession(db(), { tenantId: tenant.id, userId: member.id, ipAddress: "127.0.0.1", userAgent: "vitest" });
    const caller = createCaller(await createContextForSessionId(sessionId));
    await makeStepUpStale(sessionId);
    const version = (await db().user.findUniqueOrThrow({ where: { id: member.id } })).updatedAt;
    const change = { expectedLastModifiedDate: version, mobile: uniqueMobile(), country: "GB" };
    expect((await refusal(caller.selfService.updateProfile(change)))?.cause).toBeInstanceOf(StepUpRequiredError);
    await db().session.update({ where: { id: sessionId }, data: { steppedUpAt: new Date() } });
    expect((await caller.selfService.updateProfile(change)).changed).toContain("mobile");
    expect(await contactMails(member.id)).toEqual([expect.objectContaining({ toAddress: member.email })]);
  });
});
