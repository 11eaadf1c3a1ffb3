import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { deliveredText } from "@/server/mail/secret-link";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { listMembers } from "@/server/members/list-members";
import { acceptInvitation } from "@/server/onboarding/accept-invitation";
import { onboardMember } from "@/server/onboarding/onboard-member";
import { resendInvitation } from "@/server/onboarding/resend-invitation";
import { createSignedInMember, createTenant, uniqueMobile } from "../support/factories";

const CLIENT = { ipAddress: "203.0.113.9", userAgent: "vitest" };
const PASSWORD = "maple orbit velvet thunder canyon";

async function latestInvitationToken(memberId: bigint): Promise<string> {
  const mail = await db().outboxMail.findFirstOrThrow({ where: { userId: memberId, kind: "invitation" }, orderBy: { id: "desc" } });
  return /\/invite\/([A-Za-z0-9_-]{43})\n/.exec(deliveredText(mail))![1]!;
}

async function passwordStatus(tenantId: bigint, memberId: bigint) {
  const lifecycle = await getMemberLifecycle(db(), tenantId, memberId);
  const row = (await listMembers(db(), tenantId, { limit: 200 })).items.find((item) => item.id === memberId.toString())!;
  // Only whether a password exists travels to the console, never the hash.
  expect(JSON.stringify([lifecycle, row])).not.toMatch(/passwordHash|\$argon|\$2[aby]\$/);
  return {
    page: { state: lifecycle.state, passwordSet: lifecycle.passwordSet, invitationExpiresAt: lifecycle.invitationExpiresAt },
    list: { state: row.status, passwordSet: row.passwordSet, invitationExpiresAt: row.invitationExpiresAt },
  };
}

describe("a newly onboarded member's password status", () => {
  it("reports the invitation pending, with its expiry, on the member page and in the list until the invitation is accepted", async () => {
    const tenant = await createTenant();
    const { member: admin } = await createSignedInMember(tenant.id, { role: "admin" });
    const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin, ...CLIENT };
    const created = await onboardMember(db(), actor, {
      firstName: "Nadia",
      lastName: "Newcomer",
      username: "nnewcomer",
      email: "nadia@example.test",
      mobile: uniqueMobile(),
      country: "GB",
      departmentIds: [],
      applicationIds: [],
      roleIds: [],
      groupIds: [],
    });
    const memberId = BigInt(created.id);
    const first = await db().invitation.findFirstOrThrow({ where: { userId: memberId } });
    const pending = { state: "active", passwordSet: false, invitationExpiresAt: first.expiresAt };
    expect(await passwordStatus(tenant.id, memberId)).toEqual({ page: pending, list: pending });

    // A resent invitation replaces the first: its expiry is the one shown.
    await resendInvitation(db(), actor, { memberId: memberId.toString() });
    const second = await db().invitation.findFirstOrThrow({ where: { userId: memberId, usedAt: null }, orderBy: { id: "desc" } });
    const resent = { state: "active", passwordSet: false, invitationExpiresAt: second.expiresAt };
    expect(await passwordStatus(tenant.id, memberId)).toEqual({ page: resent, list: resent });

    await acceptInvitation(db(), CLIENT, { token: await latestInvitationToken(memberId), newPassword: PASSWORD, confirmation: PASSWORD });
    const ready = { state: "active", passwordSet: true, invitationExpiresAt: null };
    expect(await passwordStatus(tenant.id, memberId)).toEqual({ page: ready, list: ready });
  });
});
