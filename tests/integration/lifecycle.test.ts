import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { checkSession } from "@/server/auth/sessions";
import { createMember as createMemberService } from "@/server/members/create-member";
import { archivedHolderMessage } from "@/server/members/member-conflicts";
import { listMembers } from "@/server/members/list-members";
import { grantToMembers } from "@/server/access/grant-access";
import { type ArchivedHolderConflictError, ConflictError, InvalidTransitionError, ValidationError } from "@/server/errors";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { proveZeroAccessOf } from "@/server/lifecycle/zero-access";
import { previewOffboarding } from "@/server/lifecycle/preview-offboarding";
import { hardDeleteMember } from "@/server/lifecycle/hard-delete-members";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { listRecycleBin } from "@/server/lifecycle/list-recycle-bin";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, uniqueMobile } from "../support/factories";
import { lifecycleScene, makeJobsDue, relationCounts, runDueJobs, scheduledJob } from "../support/lifecycle";

const run = (actor: Parameters<typeof runLifecycleAction>[1], input: Parameters<typeof runLifecycleAction>[2]) => runLifecycleAction(db(), actor, input);
const stateOf = async (memberId: bigint) => (await db().user.findUniqueOrThrow({ where: { id: memberId }, select: { state: true } })).state;
const eventsOf = async (memberId: bigint) =>
  (await db().auditEvent.findMany({ where: { targetType: "member", targetId: memberId }, orderBy: { id: "asc" } })).map((event) => event.action);

describe("disable", () => {
  it("revokes app and policy authorisations, keeps departments, roles and groups, ends every session at once and proves it", async () => {
    const scene = await lifecycleScene();
    const { member, sessionId } = await scene.newMember();
    const secondSession = await createSignedInMember(scene.tenant.id).then(() => sessionId);

    const outcome = await run(scene.actor, { action: "disable", memberIds: [member.id.toString()], reason: "Left the project" });

    expect(outcome.changed).toMatchObject([{ memberId: member.id.toString(), state: "disabled" }]);
    expect(await relationCounts(member.id)).toEqual({ departments: 1, applications: 0, policies: 0, roles: 1, groups: 1 });
    expect(await checkSession(db(), secondSession)).toEqual({ live: false, reason: "account_blocked" });
    const row = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(row).toMatchObject({ state: "disabled", enabled: false, locked: false, disableReason: "Left the project", online: false });
    const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: member.id } });
    expect(receipt.sessionsEnded).toBe(1);
    expect(receipt.revoked).toMatchObject({ applications: [{ name: "Payroll" }], policies: [{ name: "Read tickets" }], roles: [], departments: [] });
    expect(receipt.zeroAccessMs).toBeGreaterThanOrEqual(0);
    expect(receipt.zeroAccessMs).toBeLessThan(1000);
    expect(await eventsOf(member.id)).toContain("member.disable");
    const notice = await db().outboxMail.findFirstOrThrow({ where: { userId: member.id } });
    expect(notice).toMatchObject({ kind: "account_disabled", status: "held", toAddress: row.email });
    expect(notice.bodyText).toContain("Left the project");

    // Enable lifts the login block but does not silently restore authorisations.
    await run(scene.actor, { action: "enable", memberIds: [member.id.toString()] });
    expect(await stateOf(member.id)).toBe("active");
    expect(await relationCounts(member.id)).toMatchObject({ applications: 0, policies: 0 });
  });

  it("a bulk disable proves every receipt at once; a receipt whose member still has a live session or access stays unproven", async () => {
    const scene = await lifecycleScene();
    const members = await Promise.all(Array.from({ length: 30 }, () => scene.createMember()));
    await run(scene.actor, { action: "disable", memberIds: members.map((member) => member.id.toString()), reason: "Contract ended" });
    const receipts = await db().lifecycleReceipt.findMany({ where: { userId: { in: members.map((member) => member.id) } } });
    expect(receipts).toHaveLength(30);
    for (const receipt of receipts) expect(receipt.zeroAccessMs).toBeGreaterThanOrEqual(0);

    // A receipt written for a member who is still active, signed in and equipped: nothing may prove it.
    const { member: stillIn, sessionId } = await scene.newMember();
    const bare = await scene.createMember();
    const receiptOf = (userId: bigint) =>
      db().lifecycleReceipt.create({ data: { tenantId: scene.tenant.id, userId, action: "disable", actorId: scene.admin.id, committedAt: new Date(), revoked: {}, sessionsEnded: 0 } });
    const [liveReceipt, accessReceipt, bareReceipt] = [await receiptOf(stillIn.id), await receiptOf(stillIn.id), await receiptOf(bare.id)];
    const proven = await proveZeroAccessOf(db(), [
      { receiptId: liveReceipt.id, sessionIds: [sessionId], committedAtMs: Date.now() },
      { receiptId: accessReceipt.id, sessionIds: [], committedAtMs: Date.now() },
      { receiptId: bareReceipt.id, sessionIds: [], committedAtMs: Date.now() },
    ]);
    expect(proven).toEqual([bareReceipt.id]);
    const zeroAt = async (id: bigint) => (await db().lifecycleReceipt.findUniqueOrThrow({ where: { id } })).zeroAccessAt;
    expect(await zeroAt(liveReceipt.id)).toBeNull();
    expect(await zeroAt(accessReceipt.id)).toBeNull();
    // Proving again changes nothing: the first proof stands.
    const first = await zeroAt(bareReceipt.id);
    expect(await proveZeroAccessOf(db(), [{ receiptId: bareReceipt.id, sessionIds: [], committedAtMs: 0 }])).toEqual([]);
    expect(await zeroAt(bareReceipt.id)).toEqual(first);
  });

  it("requires a reason, refuses illegal transitions with a clear message, and nobody changes their own status", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    await expect(run(scene.actor, { action: "disable", memberIds: [member.id.toString()], reason: " " })).rejects.toThrow("Say why the account is disabled");
    await expect(run(scene.actor, { action: "unlock", memberIds: [member.id.toString()] })).rejects.toThrow(new InvalidTransitionError("The member is not locked"));
    await run(scene.actor, { action: "archive", memberIds: [member.id.toString()] });
    await expect(run(scene.actor, { action: "disable", memberIds: [member.id.toString()], reason: "x" })).rejects.toThrow("An archived member must be unarchived first");
    await expect(run(scene.actor, { action: "disable", memberIds: [scene.admin.id.toString()], reason: "x" })).rejects.toThrow("You cannot change your own account's status");
    const owner = await createMember(scene.tenant.id, { role: "owner" });
    await expect(run(scene.actor, { action: "lock", memberIds: [owner.id.toString()], reason: "x" })).rejects.toThrow("Only an owner may change an owner's status");
  });
});

describe("lock and unlock", () => {
  it("locks until lockEndDate, schedules the unlock for that exact moment, and the job unlocks once", async () => {
    const scene = await lifecycleScene();
    const { member, sessionId } = await scene.newMember();
    const lockEndDate = new Date(Date.now() + 60 * 60 * 1000);
    await run(scene.actor, { action: "lock", memberIds: [member.id.toString()], reason: "Suspicious activity", lockEndDate });

    const locked = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(locked).toMatchObject({ state: "locked", locked: true, enabled: true, lockReason: "Suspicious activity" });
    expect(locked.lockEndAt?.getTime()).toBe(lockEndDate.getTime());
    expect(locked.lastLockedAt).toBeInstanceOf(Date);
    expect((await checkSession(db(), sessionId)).live).toBe(false);
    expect((await scheduledJob(memberJobKey("unlock", member.id)))?.run_at.getTime()).toBe(lockEndDate.getTime());
    // Locks keep the member's access: nothing is revoked.
    expect(await relationCounts(member.id)).toEqual({ departments: 1, applications: 1, policies: 1, roles: 1, groups: 1 });

    await runDueJobs();
    expect(await stateOf(member.id)).toBe("locked");

    await db().user.update({ where: { id: member.id }, data: { lockEndAt: new Date(Date.now() - 1000) } });
    await makeJobsDue(memberJobKey("unlock", member.id));
    await runDueJobs();
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ state: "active", locked: false, lockEndAt: null });
    expect((await eventsOf(member.id)).filter((action) => action === "member.unlock")).toHaveLength(1);
  });

  it("a lock whose end passed while no worker ran is lifted by the crontab sweep, and running it twice changes nothing more", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    await run(scene.actor, { action: "lock", memberIds: [member.id.toString()], reason: "x", lockEndDate: new Date(Date.now() + 60_000) });
    // The scheduled job is lost (e.g. deleted by an operator); only the sweep is left.
    await db().$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key = ${memberJobKey("unlock", member.id)}`;
    await db().user.update({ where: { id: member.id }, data: { lockEndAt: new Date(Date.now() - 5 * 60_000) } });

    const { applyDueRule } = await import("@/server/lifecycle/time-rules");
    expect(await applyDueRule(db(), "unlock")).toBeGreaterThanOrEqual(1);
    expect(await stateOf(member.id)).toBe("active");
    expect(await applyDueRule(db(), "unlock", member.id)).toBe(0);
    expect((await eventsOf(member.id)).filter((action) => action === "member.unlock")).toHaveLength(1);
  });

  it("a manual unlock cancels the scheduled one", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    await run(scene.actor, { action: "lock", memberIds: [member.id.toString()], reason: "x", lockEndDate: new Date(Date.now() + 60_000) });
    await run(scene.actor, { action: "unlock", memberIds: [member.id.toString()] });
    expect(await scheduledJob(memberJobKey("unlock", member.id))).toBeNull();
  });
});

describe("resign", () => {
  it("revokes authorisations, leaves every department and joins Departed as the main department", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    await run(scene.actor, { action: "resign", memberIds: [member.id.toString()], reason: "Moved abroad" });
    const departed = await db().department.findFirstOrThrow({ where: { tenantId: scene.tenant.id, kind: "departed" } });
    const row = await db().user.findUniqueOrThrow({ where: { id: member.id }, include: { departments: true } });
    expect(row).toMatchObject({ state: "resigned", resignationReason: "Moved abroad", mainDepartmentId: departed.id });
    expect(row.resignedAt).toBeInstanceOf(Date);
    expect(row.departments.map((membership) => membership.departmentId)).toEqual([departed.id]);
    expect(await relationCounts(member.id)).toEqual({ departments: 1, applications: 0, policies: 0, roles: 1, groups: 1 });
  });

  it("a future leave date is carried out by a job at that time, with the reason given", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    const leaveDate = new Date(Date.now() + 7 * 86_400_000);
    const outcome = await run(scene.actor, { action: "resign", memberIds: [member.id.toString()], reason: "Contract ends", leaveDate });
    expect(outcome.scheduled).toBe(true);
    expect(await stateOf(member.id)).toBe("active");
    expect((await scheduledJob(memberJobKey("resign", member.id)))?.run_at.getTime()).toBe(leaveDate.getTime());

    await db().user.update({ where: { id: member.id }, data: { scheduledLeaveAt: new Date(Date.now() - 1000) } });
    await makeJobsDue(memberJobKey("resign", member.id));
    await runDueJobs();
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ state: "resigned", resignationReason: "Contract ends", scheduledLeaveAt: null });
  });
});

describe("archive", () => {
  it("removes every relation, hides the member from the directory, and the database refuses any change", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    await run(scene.actor, { action: "archive", memberIds: [member.id.toString()] });
    expect(await relationCounts(member.id)).toEqual({ departments: 0, applications: 0, policies: 0, roles: 0, groups: 0 });

    const everyone = await listMembers(db(), scene.tenant.id, { limit: 200 });
    expect(everyone.items.map((row) => row.id)).not.toContain(member.id.toString());
    const archived = await listMembers(db(), scene.tenant.id, { limit: 200, status: "archived" });
    expect(archived.items.map((row) => row.id)).toEqual([member.id.toString()]);

    // Enforced by the database itself, not only by the services.
    await expect(db().$executeRaw`UPDATE users SET title = 'Changed' WHERE id = ${member.id}`).rejects.toThrow(/archived/);
    await expect(db().memberRole.create({ data: { userId: member.id, roleId: scene.items.role.id } })).rejects.toThrow(/archived/);
    const caller = createCaller(await createContextForSessionId((await createSignedInMember(scene.tenant.id, { role: "admin" })).sessionId));
    await expect(caller.access.grant({ kind: "role", itemId: scene.items.role.id.toString(), memberIds: [member.id.toString()] })).rejects.toMatchObject({
      code: "PRECONDITION_FAILED",
      message: "An archived member must be unarchived first",
    });
  });

  it("refuses to create a member with an archived member's username, email or mobile, then unarchive returns them to disabled", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    await run(scene.actor, { action: "archive", memberIds: [member.id.toString()] });
    const profile = { firstName: "New", lastName: "Person", username: member.username.toUpperCase(), email: "someone-new@example.test", mobile: uniqueMobile().replace("+44", "0"), country: "GB" };
    const error = await createMemberService(db(), scene.actor, profile).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    // Spoken to the admin: whose record, and what to do; the id lets the form link to it (issue 11 item 16).
    const fullName = (await db().user.findUniqueOrThrow({ where: { id: member.id } })).fullName;
    const message = `This username belongs to ${fullName}, an archived member: unarchive them to use it again, or choose another`;
    expect(archivedHolderMessage("username", { fullName })).toBe(message);
    expect((error as ConflictError).fieldErrors).toEqual({ username: [message] });
    expect((error as ArchivedHolderConflictError).archivedMemberId).toBe(member.id.toString());

    await run(scene.actor, { action: "unarchive", memberIds: [member.id.toString()] });
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ state: "disabled", archivedAt: null });
  });
});

describe("delete, restore and hard delete", () => {
  it("soft delete hides the member everywhere; restore within grace brings back every relationship", async () => {
    const scene = await lifecycleScene();
    const { member, sessionId } = await scene.newMember();
    await run(scene.actor, { action: "delete", memberIds: [member.id.toString()] });

    expect(await relationCounts(member.id)).toEqual({ departments: 0, applications: 0, policies: 0, roles: 0, groups: 0 });
    expect((await checkSession(db(), sessionId)).live).toBe(false);
    for (const status of [undefined, "archived"] as const) {
      expect((await listMembers(db(), scene.tenant.id, { limit: 200, status })).items.map((row) => row.id)).not.toContain(member.id.toString());
    }
    const bin = await listRecycleBin(db(), scene.tenant.id, {});
    expect(bin.items.map((row) => row.memberId)).toEqual([member.id.toString()]);
    const hardDeleteAt = bin.items[0]!.hardDeleteAt.getTime();
    expect(hardDeleteAt - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await scheduledJob(memberJobKey("hard-delete", member.id)))?.run_at.getTime()).toBe(hardDeleteAt);

    await run(scene.actor, { action: "restore", memberIds: [member.id.toString()] });
    const restored = await db().user.findUniqueOrThrow({ where: { id: member.id }, include: { departments: true } });
    expect(restored).toMatchObject({ state: "active", deletedAt: null, mainDepartmentId: scene.department.id });
    expect(restored.departments).toEqual([expect.objectContaining({ departmentId: scene.department.id, isHead: true })]);
    expect(await relationCounts(member.id)).toEqual({ departments: 1, applications: 1, policies: 1, roles: 1, groups: 1 });
    expect(await scheduledJob(memberJobKey("hard-delete", member.id))).toBeNull();
    expect((await listRecycleBin(db(), scene.tenant.id, {})).items).toEqual([]);
  });

  it("the hard-delete job at the end of grace erases every row about the member and leaves only opaque audit ids", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    await run(scene.actor, { action: "lock", memberIds: [member.id.toString()], reason: "x" });
    await run(scene.actor, { action: "delete", memberIds: [member.id.toString()] });
    await db().memberRecycleBinEntry.update({ where: { userId: member.id }, data: { hardDeleteAt: new Date(Date.now() - 1000) } });
    await makeJobsDue(memberJobKey("hard-delete", member.id));
    await runDueJobs();

    expect(await db().user.findUnique({ where: { id: member.id } })).toBeNull();
    expect(await db().session.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().outboxMail.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().lifecycleReceipt.count({ where: { userId: member.id } })).toBe(0);
    const events = await db().auditEvent.findMany({ where: { targetType: "member", targetId: member.id } });
    expect(events.map((event) => event.action)).toContain("member.erased");
    const text = JSON.stringify(events.map((event) => event.changes));
    expect(text).not.toContain(member.username);
    expect(text).not.toContain(member.email);
    // Running the job again (or late) changes nothing.
    await expect(runDueJobs()).resolves.toBeUndefined();
  });

  it("an admin can delete permanently at once after typing the username", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    const { member: other } = await scene.newMember();
    await db().loginAttempt.createMany({
      data: [
        { tenantId: scene.tenant.id, userId: member.id, login: member.username, result: "success", reason: "signed_in" },
        { tenantId: scene.tenant.id, userId: null, login: member.email.toUpperCase(), result: "failure", reason: "unknown_account" },
        { tenantId: scene.tenant.id, userId: null, login: other.username, result: "failure", reason: "unknown_account" },
      ],
    });
    const wrong = await hardDeleteMember(db(), scene.actor, { memberId: member.id.toString(), confirmUsername: "someone-else" }).catch((caught: unknown) => caught);
    expect(wrong).toBeInstanceOf(ValidationError);
    expect((wrong as ValidationError).fieldErrors).toHaveProperty("confirmUsername");
    await hardDeleteMember(db(), scene.actor, { memberId: member.id.toString(), confirmUsername: member.username.toUpperCase() });
    expect(await db().user.findUnique({ where: { id: member.id } })).toBeNull();
    // Their sign-in history goes too, even attempts typed with their email before it matched; others' stay.
    expect((await db().loginAttempt.findMany({ where: { tenantId: scene.tenant.id } })).map((attempt) => attempt.login)).toEqual([other.username]);
  });
});

describe("offboarding preview", () => {
  it("lists exactly what each action then removes", async () => {
    const scene = await lifecycleScene();
    for (const action of ["disable", "resign", "archive", "delete"] as const) {
      const { member } = await scene.newMember();
      const preview = await previewOffboarding(db(), scene.actor, { action, memberIds: [member.id.toString()] });
      const outcome = await run(scene.actor, { action, memberIds: [member.id.toString()], ...(action === "disable" ? { reason: "x" } : {}) } as never);
      const receipt = await db().lifecycleReceipt.findUniqueOrThrow({ where: { id: BigInt(outcome.changed[0]!.receiptId!) } });
      const revoked = receipt.revoked as Record<string, { name: string }[]>;
      for (const [kind, names] of Object.entries(preview.members[0]!.removes)) {
        expect(revoked[kind]!.map((item) => item.name), `${action} ${kind}`).toEqual(names);
      }
      expect(receipt.sessionsEnded).toBe(preview.members[0]!.openSessions);
    }
  });
});

describe("bulk actions", () => {
  it("disables many members at once, and reports the ones it could not", async () => {
    const scene = await lifecycleScene();
    const members = await Promise.all(Array.from({ length: 20 }, () => scene.newMember()));
    const archived = await scene.createMember();
    await run(scene.actor, { action: "archive", memberIds: [archived.id.toString()] });
    const ids = [...members.map(({ member }) => member.id.toString()), archived.id.toString()];

    const outcome = await run(scene.actor, { action: "disable", memberIds: ids, reason: "Project closed" });
    expect(outcome.changed).toHaveLength(20);
    expect(outcome.refused).toEqual([{ memberId: archived.id.toString(), username: archived.username, message: "An archived member must be unarchived first" }]);
    for (const { sessionId } of members) expect((await checkSession(db(), sessionId)).live).toBe(false);
    expect(await db().memberApplication.count({ where: { userId: { in: members.map(({ member }) => member.id) } } })).toBe(0);
  });
});

describe("tenant isolation", () => {
  it("never acts on another organisation's member", async () => {
    const scene = await lifecycleScene();
    const other = await createTenant();
    const stranger = await createMember(other.id);
    await expect(run(scene.actor, { action: "disable", memberIds: [stranger.id.toString()], reason: "x" })).rejects.toThrow("No such member in your organisation");
    await expect(getMemberLifecycle(db(), scene.tenant.id, stranger.id)).rejects.toThrow("Member not found");
    expect(await stateOf(stranger.id)).toBe("active");
  });
});

describe("grants and lifecycle", () => {
  it("a deleted member cannot be granted anything", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    await run(scene.actor, { action: "delete", memberIds: [member.id.toString()] });
    const result = await grantToMembers(db(), scene.actor, { kind: "role", itemId: scene.items.role.id.toString(), memberIds: [member.id.toString()] }).catch((caught: unknown) => caught);
    expect(result instanceof Error || (result as { granted: number }).granted === 0).toBe(true);
    expect(await db().memberRole.count({ where: { userId: member.id } })).toBe(0);
  });
});

describe("time rules and mail", () => {
  it("a pending member becomes active at the start date, by its job or by the sweep, once", async () => {
    const scene = await lifecycleScene();
    const member = await createMember(scene.tenant.id, { state: "pending" });
    await db().user.update({ where: { id: member.id }, data: { startDate: new Date(Date.now() - 1000) } });
    const { applyDueRule } = await import("@/server/lifecycle/time-rules");
    expect(await applyDueRule(db(), "activate")).toBeGreaterThanOrEqual(1);
    expect(await applyDueRule(db(), "activate", member.id)).toBe(0);
    expect(await stateOf(member.id)).toBe("active");
    expect((await eventsOf(member.id)).filter((action) => action === "member.activate")).toHaveLength(1);
  });

  it("sends the most urgent password-expiry reminder once, whoever gets there first", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    const expiresAt = new Date(Date.now() + 5 * 86_400_000);
    await db().$transaction(async (tx) => {
      await tx.user.update({ where: { id: member.id }, data: { passwordExpiresAt: expiresAt } });
      const { schedulePasswordExpiryReminders } = await import("@/server/auth/password-expiry-reminders");
      await schedulePasswordExpiryReminders(tx, scene.tenant.id, member.id, expiresAt);
    });
    // 14 and 7 days before are already past: only the 1-day reminder remains scheduled.
    expect(await scheduledJob(`password-reminder:${member.id}:1`)).not.toBeNull();
    expect(await scheduledJob(`password-reminder:${member.id}:7`)).toBeNull();

    const { sendDuePasswordReminders } = await import("@/server/auth/password-expiry-reminders");
    expect(await sendDuePasswordReminders(db(), member.id)).toBe(1);
    expect(await sendDuePasswordReminders(db())).toBe(0);
    const mails = await db().outboxMail.findMany({ where: { userId: member.id, kind: "password_expiry_reminder" } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toMatch(/expires in 5 day/);
    expect(await db().passwordReminderSent.findMany({ where: { userId: member.id }, select: { daysBefore: true } })).toEqual([{ daysBefore: 7 }]);
  });

  it("delivers outbox mail over SMTP when SMTP_URL is set, once", async () => {
    const { SMTPServer } = await import("smtp-server");
    const received: string[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, _session, callback) {
        let text = "";
        stream.on("data", (chunk: Buffer) => (text += chunk.toString()));
        stream.on("end", () => {
          received.push(text);
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.server.address() as { port: number }).port;
    const { exportToEnvironment, serverEnv } = await import("@/server/env");
    const previous = serverEnv();
    try {
      exportToEnvironment({ SMTP_URL: `smtp://127.0.0.1:${port}` });
      const scene = await lifecycleScene();
      const member = await scene.createMember();
      await run(scene.actor, { action: "disable", memberIds: [member.id.toString()], reason: "Mail test" });
      const mail = await db().outboxMail.findFirstOrThrow({ where: { userId: member.id } });
      expect(mail.status).toBe("queued");
      await runDueJobs();
      await runDueJobs();
      expect(await db().outboxMail.findUniqueOrThrow({ where: { id: mail.id } })).toMatchObject({ status: "sent", attempts: 1 });
      expect(received.filter((text) => text.includes("Mail test"))).toHaveLength(1);
    } finally {
      delete process.env.SMTP_URL;
      exportToEnvironment({ DATABASE_URL: previous.DATABASE_URL });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe("enable, then as before", () => {
  it("suggests the apps and policies the disable revoked, and re-grants the chosen ones", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    await run(scene.actor, { action: "disable", memberIds: [member.id.toString()], reason: "Leave" });
    const { regrant, regrantSuggestions } = await import("@/server/lifecycle/regrant-suggestions");
    await expect(regrant(db(), scene.actor, { memberId: member.id.toString(), applicationIds: [scene.items.application.id.toString()], policyIds: [] })).rejects.toThrow(/enable them first/);
    await run(scene.actor, { action: "enable", memberIds: [member.id.toString()] });
    const suggestions = await regrantSuggestions(db(), scene.tenant.id, member.id);
    expect(suggestions).toMatchObject({ applications: [{ name: "Payroll" }], policies: [{ name: "Read tickets" }] });
    expect(await regrant(db(), scene.actor, { memberId: member.id.toString(), applicationIds: [scene.items.application.id.toString()], policyIds: [] })).toEqual({ applications: 1, policies: 0 });
    expect(await regrantSuggestions(db(), scene.tenant.id, member.id)).toMatchObject({ applications: [], policies: [{ name: "Read tickets" }] });
  });
});

describe("password expiry from the tenant's policy", () => {
  it("a password change sets the expiry and schedules the reminders for it", async () => {
    const tenant = await createTenant();
    await db().tenantSecurityPolicy.create({ data: { tenantId: tenant.id, passwordExpiryDays: 90 } });
    const { member, sessionId } = await createSignedInMember(tenant.id);
    const { TEST_PASSWORD } = await import("../support/factories");
    const { changePassword } = await import("@/server/auth/change-password");
    const newPassword = "a brand new sentence of many words 7";
    const { passwordExpiresAt } = await changePassword(db(), { tenantId: tenant.id, memberId: member.id, sessionId }, { currentPassword: TEST_PASSWORD, newPassword, confirmation: newPassword });
    expect(passwordExpiresAt!.getTime() - Date.now()).toBeGreaterThan(89 * 86_400_000);
    for (const days of [14, 7, 1]) {
      expect((await scheduledJob(`password-reminder:${member.id}:${days}`))?.run_at.getTime()).toBe(passwordExpiresAt!.getTime() - days * 86_400_000);
    }
  });
});
