import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { requestPasswordReset, sendPasswordResetLink } from "@/server/auth/forgot-password";
import { deliveredText, SECRET_LINK_PLACEHOLDER } from "@/server/mail/secret-link";
import { PASSWORD_RESET_REQUESTED } from "@/server/auth/forgot-password-schemas";
import { resetPassword } from "@/server/auth/forgot-password-reset";
import { checkSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";

const client = { ipAddress: "198.51.100.50", userAgent: "vitest" };
const NEW_PASSWORD = "a brand new passphrase for tests";
const MINUTE = 60 * 1000;

/** The link the mail carries, as delivery puts it into the member's inbox (the stored body holds only a placeholder). */
async function mailedToken(memberId: bigint): Promise<string> {
  const mail = await db().outboxMail.findFirstOrThrow({ where: { userId: memberId, kind: "password_reset" }, orderBy: { id: "desc" } });
  expect(mail.bodyText).not.toMatch(/reset-password\//);
  const match = /\/reset-password\/([A-Za-z0-9_-]{43})/.exec(deliveredText(mail));
  expect(match).not.toBeNull();
  return match![1]!;
}

async function publicCaller() {
  return createCaller(await createContextForSessionId(null, client));
}

describe("forgot password", () => {
  it("answers the same for an existing account, an unknown one and an unknown organisation, and mails only the real one", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const caller = await publicCaller();
    const known = await caller.auth.passwordReset.request({ organisation: tenant.slug, login: member.email.toUpperCase() });
    const unknown = await caller.auth.passwordReset.request({ organisation: tenant.slug, login: "nobody-here" });
    const noOrganisation = await caller.auth.passwordReset.request({ organisation: "no-such-organisation", login: member.username });
    expect(known).toEqual({ message: PASSWORD_RESET_REQUESTED });
    expect(unknown).toEqual(known);
    expect(noOrganisation).toEqual(known);

    await runDueJobs();
    const mails = await db().outboxMail.findMany({ where: { tenantId: tenant.id, kind: "password_reset" } });
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ userId: member.id, toAddress: member.email, subject: "Choose a new password" });
    expect(mails[0]!.bodyText).toContain(SECRET_LINK_PLACEHOLDER);
    expect(deliveredText(mails[0]!)).toContain("http://localhost:3000/reset-password/");
    // Only the hash is stored.
    const token = await mailedToken(member.id);
    const row = await db().passwordResetToken.findFirstOrThrow({ where: { userId: member.id } });
    expect(row.tokenHash).not.toContain(token);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * MINUTE);
  });

  it("sets the new password once through the password rules, ends every session and signs in with it", async () => {
    const tenant = await createTenant();
    const { member, sessionId } = await createSignedInMember(tenant.id);
    await sendPasswordResetLink(db(), { organisation: tenant.slug, login: member.username }, client);
    const token = await mailedToken(member.id);
    const caller = await publicCaller();
    expect(await caller.auth.passwordReset.link({ token })).toMatchObject({ organisation: tenant.name, username: member.username, passwordMinLength: 15 });

    const weak = await caller.auth.passwordReset.reset({ token, newPassword: "password", confirmation: "password" }).catch((error: unknown) => error);
    expect((weak as TRPCError).code).toBe("BAD_REQUEST");
    const reused = await caller.auth.passwordReset.reset({ token, newPassword: TEST_PASSWORD, confirmation: TEST_PASSWORD }).catch((error: unknown) => error);
    expect((reused as TRPCError).message).toMatch(/used this password recently/);

    expect(await caller.auth.passwordReset.reset({ token, newPassword: NEW_PASSWORD, confirmation: NEW_PASSWORD })).toMatchObject({
      organisation: tenant.slug,
      username: member.username,
      sessionsEnded: 1,
    });
    expect(await checkSession(db(), sessionId)).toEqual({ live: false, reason: "password_changed" });
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: member.id, action: "member.password_reset" } });
    expect(event.actorId).toBe(member.id);
    await expect(signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: NEW_PASSWORD }, client)).resolves.toHaveProperty("sessionId");

    // Single use: the same link again does nothing.
    const again = await caller.auth.passwordReset.reset({ token, newPassword: `${NEW_PASSWORD} 2`, confirmation: `${NEW_PASSWORD} 2` }).catch((error: unknown) => error);
    expect((again as TRPCError).code).toBe("NOT_FOUND");
    expect(await caller.auth.passwordReset.link({ token })).toBeNull();
  });

  it("expires after 30 minutes, and a newer link stops the older ones", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const start = new Date();
    await sendPasswordResetLink(db(), { organisation: tenant.slug, login: member.username }, client, start);
    const first = await mailedToken(member.id);
    await expect(resetPassword(db(), client, { token: first, newPassword: NEW_PASSWORD, confirmation: NEW_PASSWORD }, new Date(start.getTime() + 31 * MINUTE))).rejects.toThrow(
      "no longer valid",
    );

    // A second request within the minute sends nothing more (no mail-bombing); after it, a new link replaces the old.
    await sendPasswordResetLink(db(), { organisation: tenant.slug, login: member.username }, client, new Date(start.getTime() + 10_000));
    expect(await db().outboxMail.count({ where: { userId: member.id, kind: "password_reset" } })).toBe(1);
    await sendPasswordResetLink(db(), { organisation: tenant.slug, login: member.username }, client, new Date(start.getTime() + 2 * MINUTE));
    const second = await mailedToken(member.id);
    expect(second).not.toBe(first);
    const at = new Date(start.getTime() + 3 * MINUTE);
    await expect(resetPassword(db(), client, { token: first, newPassword: NEW_PASSWORD, confirmation: NEW_PASSWORD }, at)).rejects.toThrow("no longer valid");
    await expect(resetPassword(db(), client, { token: second, newPassword: NEW_PASSWORD, confirmation: NEW_PASSWORD }, at)).resolves.toMatchObject({ username: member.username });
  });

  it("sends nothing to a disabled or archived member, with the same answer", async () => {
    const tenant = await createTenant();
    const disabled = await createMember(tenant.id, { state: "disabled" });
    expect(await requestPasswordReset(db(), { organisation: tenant.slug, login: disabled.username }, client)).toEqual({ message: PASSWORD_RESET_REQUESTED });
    await runDueJobs();
    expect(await db().outboxMail.count({ where: { userId: disabled.id } })).toBe(0);
  });
});
