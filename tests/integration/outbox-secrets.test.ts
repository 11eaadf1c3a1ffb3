import { Logger, runOnce } from "graphile-worker";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { exportToEnvironment, serverEnv } from "@/server/env";
import { deliveredText } from "@/server/mail/secret-link";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";
import { taskList } from "@/workers/task-list";

// Issue 10, item 1: a plain admin asked for the owner's (or anyone's) reset
// link, then read it in Settings → Outbox. Now no admin ever sees a working
// reset link, an invitation link only with authority over its member, and a
// delivered mail's row holds no live secret.

const client = { ipAddress: "198.51.100.77", userAgent: "vitest" };
const NEW_PASSWORD = "the attacker's chosen passphrase";
/** Anything in a response that could be a reset or invitation token (32 random bytes, base64url). */
const TOKEN_LIKE = /[A-Za-z0-9_-]{43}/g;

async function callerOf(sessionId: string | null) {
  return createCaller(await createContextForSessionId(sessionId, client));
}

async function readWholeOutbox(caller: Awaited<ReturnType<typeof callerOf>>) {
  const page = await caller.lifecycle.outbox({ limit: 100 });
  expect(page.nextCursor).toBeNull();
  return page.items;
}

describe("secret links in the outbox", () => {
  it("the attack: anyone requests a reset for the owner and a member, a plain admin reads the outbox, and nothing there opens either account", async () => {
    const tenant = await createTenant();
    const owner = await createMember(tenant.id, { role: "owner" });
    const member = await createMember(tenant.id);
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const anonymous = await callerOf(null);
    await anonymous.auth.passwordReset.request({ organisation: tenant.slug, login: owner.username });
    await anonymous.auth.passwordReset.request({ organisation: tenant.slug, login: member.email });
    await runDueJobs();

    const items = await readWholeOutbox(await callerOf(admin.sessionId));
    const resets = items.filter((item) => item.kind === "password_reset");
    expect(resets.map((item) => item.to).sort()).toEqual([owner.email, member.email].sort());
    const asAdmin = await callerOf(admin.sessionId);
    for (const item of resets) {
      expect(item.linkAvailable).toBe(false);
      expect(item.body).not.toMatch(/reset-password/);
      await expect(asAdmin.lifecycle.revealInvitationLink({ mailId: item.id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // Whatever in the whole answer looks like a token opens nothing, and cannot be used to reset.
    for (const candidate of JSON.stringify(items).match(TOKEN_LIKE) ?? []) {
      expect(await anonymous.auth.passwordReset.link({ token: candidate })).toBeNull();
      await expect(anonymous.auth.passwordReset.reset({ token: candidate, newPassword: NEW_PASSWORD, confirmation: NEW_PASSWORD })).rejects.toMatchObject({ code: "NOT_FOUND" });
    }
    // The links do exist: the recipient's mailbox gets a working one.
    for (const userId of [owner.id, member.id]) {
      const mail = await db().outboxMail.findFirstOrThrow({ where: { userId, kind: "password_reset" } });
      const token = /\/reset-password\/([A-Za-z0-9_-]{43})/.exec(deliveredText(mail))![1]!;
      expect(await anonymous.auth.passwordReset.link({ token })).toMatchObject({ organisation: tenant.name });
    }
  });

  it("a held invitation's link is shown only to an admin with authority over the invited member, one at a time, and each showing is audited", async () => {
    const tenant = await createTenant();
    const owner = await createSignedInMember(tenant.id, { role: "owner" });
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const invitedOwner = await createMember(tenant.id, { role: "owner", password: null, state: "pending" });
    const invitedMember = await createMember(tenant.id, { password: null, state: "pending" });
    const ownerCaller = await callerOf(owner.sessionId);
    await ownerCaller.onboarding.resendInvitation({ memberId: invitedOwner.id.toString() });
    await ownerCaller.onboarding.resendInvitation({ memberId: invitedMember.id.toString() });

    const invitationTo = (items: Awaited<ReturnType<typeof readWholeOutbox>>, email: string | null) => items.find((item) => item.kind === "invitation" && item.to === email)!;
    const adminCaller = await callerOf(admin.sessionId);
    const asAdmin = await readWholeOutbox(adminCaller);
    // The list itself never carries a link: showing one is a recorded act.
    expect(JSON.stringify(asAdmin)).not.toMatch(/\/invite\//);
    expect(invitationTo(asAdmin, invitedOwner.email).linkAvailable).toBe(false);
    expect(invitationTo(asAdmin, invitedMember.email).linkAvailable).toBe(true);
    await expect(adminCaller.lifecycle.revealInvitationLink({ mailId: invitationTo(asAdmin, invitedOwner.email).id })).rejects.toMatchObject({ code: "NOT_FOUND" });
    const membersMail = invitationTo(asAdmin, invitedMember.email).id;
    const { link } = await adminCaller.lifecycle.revealInvitationLink({ mailId: membersMail });
    expect(link).toMatch(/^http:\/\/localhost:3000\/invite\/[A-Za-z0-9_-]{43}$/);
    const shown = await db().auditEvent.findMany({ where: { tenantId: tenant.id, action: "member.invitation_link_revealed" } });
    expect(shown).toMatchObject([{ actorId: admin.member.id, targetId: invitedMember.id, changes: { mailId: { after: membersMail } } }]);
    expect(JSON.stringify(shown.map((event) => event.changes))).not.toMatch(/\/invite\//);

    // Nobody else reaches it: a member, another organisation's admin, an anonymous caller.
    const memberSession = await createSignedInMember(tenant.id);
    await expect((await callerOf(memberSession.sessionId)).lifecycle.revealInvitationLink({ mailId: membersMail })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const stranger = await createSignedInMember((await createTenant()).id, { role: "owner" });
    await expect((await callerOf(stranger.sessionId)).lifecycle.revealInvitationLink({ mailId: membersMail })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect((await callerOf(null)).lifecycle.revealInvitationLink({ mailId: membersMail })).rejects.toMatchObject({ code: "UNAUTHORIZED" });

    // A burst of 50 showings: each answered, each recorded once.
    const burst = await Promise.all(Array.from({ length: 50 }, () => adminCaller.lifecycle.revealInvitationLink({ mailId: membersMail })));
    expect(new Set(burst.map((answer) => answer.link))).toEqual(new Set([link]));
    expect(await db().auditEvent.count({ where: { tenantId: tenant.id, action: "member.invitation_link_revealed" } })).toBe(51);

    const asOwner = await readWholeOutbox(ownerCaller);
    const ownersLink = (await ownerCaller.lifecycle.revealInvitationLink({ mailId: invitationTo(asOwner, invitedOwner.email).id })).link;
    expect(ownersLink).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(await (await callerOf(null)).onboarding.invitation({ token: ownersLink.split("/").at(-1)! })).not.toBeNull();
    for (const item of asOwner) expect(item.body).not.toMatch(/\/invite\//);
  });

  it("a delivered mail's row holds no working token: the sealed link is wiped when it is sent", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const previous = serverEnv();
    const logged: string[] = [];
    try {
      exportToEnvironment({ MAIL_TO_LOG: "true" });
      await (await callerOf(null)).auth.passwordReset.request({ organisation: tenant.slug, login: member.username });
      // The real worker: the request's job queues the mail, whose delivery job prints it to this log.
      await runOnce({ connectionString: previous.DATABASE_URL, taskList, logger: new Logger(() => (_level, message) => logged.push(message)) });
    } finally {
      delete process.env.MAIL_TO_LOG;
      exportToEnvironment({ DATABASE_URL: previous.DATABASE_URL });
    }
    const token = /\/reset-password\/([A-Za-z0-9_-]{43})/.exec(logged.join("\n"))![1]!;
    const anonymous = await callerOf(null);
    expect(await anonymous.auth.passwordReset.link({ token })).not.toBeNull();

    const rows = await db().$queryRaw<{ row: string }[]>`SELECT o::text AS row FROM outbox_mails o WHERE o.user_id = ${member.id}`;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.row).not.toContain(token);
    expect(await db().outboxMail.findFirstOrThrow({ where: { userId: member.id } })).toMatchObject({ status: "logged", sealedLink: null });
    // Nothing left in the row (body or otherwise) that a copy of the database could turn into the link.
    for (const candidate of rows[0]!.row.match(TOKEN_LIKE) ?? []) expect(await anonymous.auth.passwordReset.link({ token: candidate })).toBeNull();
  });
});
