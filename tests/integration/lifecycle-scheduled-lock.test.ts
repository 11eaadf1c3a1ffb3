import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { StateMeaning } from "@/components/lifecycle/state-meaning";
import { checkSession } from "@/server/auth/sessions";
import { db } from "@/server/db/client";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { applyDueRule } from "@/server/lifecycle/time-rules";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant } from "../support/factories";
import { lifecycleScene, makeJobsDue, runDueJobs, scheduledJob } from "../support/lifecycle";

// A lock scheduled to start later (the specification's lockStartDate): the
// member keeps working until then; the real worker's member__lock job locks
// them at that moment with the reason and end given when it was scheduled.

const run = (actor: Parameters<typeof runLifecycleAction>[1], input: Parameters<typeof runLifecycleAction>[2]) => runLifecycleAction(db(), actor, input);
const DAY = 86_400_000;
const memberRow = (id: bigint) => db().user.findUniqueOrThrow({ where: { id } });

describe("a scheduled lock", () => {
  it("starts at its date through the worker's job, with its reason and end; the member works until then", async () => {
    const scene = await lifecycleScene();
    const { member, sessionId } = await scene.newMember();
    const lockStartDate = new Date(Date.now() + DAY);
    const lockEndDate = new Date(Date.now() + 3 * DAY);
    const outcome = await run(scene.actor, { action: "lock", memberIds: [member.id.toString()], reason: "Audit week", lockStartDate, lockEndDate });
    expect(outcome.scheduled).toBe(true);
    expect(await memberRow(member.id)).toMatchObject({ state: "active", lockStartAt: lockStartDate, lockEndAt: lockEndDate, lockReason: "Audit week" });
    expect((await scheduledJob(memberJobKey("lock", member.id)))).toMatchObject({ task_identifier: "member__lock", run_at: lockStartDate });
    expect((await checkSession(db(), sessionId)).live).toBe(true);
    const meaning = renderToStaticMarkup(createElement(StateMeaning, { lifecycle: await getMemberLifecycle(db(), scene.tenant.id, member.id) }));
    expect(meaning).toContain("Scheduled to be locked from");
    expect(meaning).toContain("(Audit week)");
    const [event] = await db().auditEvent.findMany({ where: { targetId: member.id, action: "member.lock_scheduled" } });
    expect(event?.changes).toMatchObject({ lockStartDate: { after: lockStartDate.toISOString() } });

    // Its time comes (moved to now rather than waited for).
    await db().user.update({ where: { id: member.id }, data: { lockStartAt: new Date(Date.now() - 1000) } });
    await makeJobsDue(memberJobKey("lock", member.id));
    await runDueJobs();
    const locked = await memberRow(member.id);
    expect(locked).toMatchObject({ state: "locked", lockReason: "Audit week", lockEndAt: lockEndDate });
    expect(locked.lastLockedAt!.getTime()).toBeGreaterThanOrEqual(locked.lockStartAt!.getTime());
    expect((await checkSession(db(), sessionId)).live).toBe(false);
    expect((await scheduledJob(memberJobKey("unlock", member.id)))?.run_at.getTime()).toBe(lockEndDate.getTime());

    // The every-minute catch-up (or a retried job) finds nothing more to do.
    expect(await applyDueRule(db(), "lock", member.id)).toBe(0);
    expect((await memberRow(member.id)).lastLockedAt).toEqual(locked.lastLockedAt);
  });

  it("is dropped by any other action first, so it cannot fire into a changed state", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    await run(scene.actor, { action: "lock", memberIds: [member.id.toString()], reason: "Later", lockStartDate: new Date(Date.now() + DAY) });
    await run(scene.actor, { action: "disable", memberIds: [member.id.toString()], reason: "Left early" });
    expect(await scheduledJob(memberJobKey("lock", member.id))).toBeNull();
    expect((await memberRow(member.id)).lockStartAt).toBeNull();
    await run(scene.actor, { action: "enable", memberIds: [member.id.toString()] });
    expect(await applyDueRule(db(), "lock")).toBe(0);
    expect((await memberRow(member.id)).state).toBe("active");
  });

  it("must end after it starts, and start in the future", async () => {
    const scene = await lifecycleScene();
    const { member } = await scene.newMember();
    const memberIds = [member.id.toString()];
    await expect(run(scene.actor, { action: "lock", memberIds, reason: "x", lockStartDate: new Date(Date.now() + 2 * DAY), lockEndDate: new Date(Date.now() + DAY) })).rejects.toThrow(
      /end after it starts/,
    );
    await expect(run(scene.actor, { action: "lock", memberIds, reason: "x", lockStartDate: new Date(Date.now() - DAY) })).rejects.toThrow(/start in the future/);
    expect((await memberRow(member.id)).state).toBe("active");
  });
});

describe("cancelling a scheduled lock", () => {
  const callerOf = async (sessionId: string) => createCaller(await createContextForSessionId(sessionId, { ipAddress: "198.51.100.9", userAgent: "vitest" }));
  async function scene() {
    const tenant = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const owner = await createSignedInMember(tenant.id, { role: "owner" });
    const plain = await createSignedInMember(tenant.id);
    const { member } = await createSignedInMember(tenant.id);
    return { tenant, admin, owner, plain, member, adminCaller: await callerOf(admin.sessionId), ownerCaller: await callerOf(owner.sessionId), plainCaller: await callerOf(plain.sessionId) };
  }
  const scheduleLock = (caller: Awaited<ReturnType<typeof scene>>["adminCaller"], memberId: bigint) =>
    caller.lifecycle.run({ action: "lock", memberIds: [memberId.toString()], reason: "Audit week", lockStartDate: new Date(Date.now() + DAY), lockEndDate: new Date(Date.now() + 2 * DAY) });

  it("drops the schedule and its job, keeps the member as they are, and says so in the trail and on the page", async () => {
    const s = await scene();
    await scheduleLock(s.adminCaller, s.member.id);
    const scheduled = await memberRow(s.member.id);
    expect(await s.adminCaller.lifecycle.cancelLock({ memberId: s.member.id.toString() })).toEqual({ cancelled: true });
    expect(await memberRow(s.member.id)).toMatchObject({ state: "active", lockStartAt: null, lockEndAt: null, lockReason: null });
    expect(await scheduledJob(memberJobKey("lock", s.member.id))).toBeNull();
    const [event] = await db().auditEvent.findMany({ where: { targetId: s.member.id, action: "member.lock_cancelled" } });
    expect(event).toMatchObject({ actorId: s.admin.member.id });
    expect(event?.changes).toEqual({
      lockStartDate: { before: scheduled.lockStartAt!.toISOString(), after: null },
      lockEndDate: { before: scheduled.lockEndAt!.toISOString(), after: null },
      reason: { before: "Audit week", after: null },
    });
    const meaning = renderToStaticMarkup(createElement(StateMeaning, { lifecycle: await getMemberLifecycle(db(), s.tenant.id, s.member.id) }));
    expect(meaning).not.toContain("Scheduled to be locked");
    // Were its time to come anyway, neither the catch-up nor a retried job locks anyone.
    expect(await applyDueRule(db(), "lock", s.member.id)).toBe(0);
    expect((await memberRow(s.member.id)).state).toBe("active");
  });

  it("refuses when there is nothing to cancel: no schedule, a lock that started, one's own account, another organisation's member", async () => {
    const s = await scene();
    const cancel = (caller: typeof s.adminCaller, memberId: bigint) => caller.lifecycle.cancelLock({ memberId: memberId.toString() });
    await expect(cancel(s.adminCaller, s.member.id)).rejects.toThrow(/No lock is scheduled/);
    await s.adminCaller.lifecycle.run({ action: "lock", memberIds: [s.member.id.toString()], reason: "Now" });
    await expect(cancel(s.adminCaller, s.member.id)).rejects.toThrow(/unlock them instead/);
    expect((await memberRow(s.member.id)).state).toBe("locked");

    // An admin may schedule a lock on their own account ("lock" is allowed on oneself), not lift it again.
    await scheduleLock(s.adminCaller, s.admin.member.id);
    await expect(cancel(s.adminCaller, s.admin.member.id)).rejects.toThrow(/your own account/);
    expect((await memberRow(s.admin.member.id)).lockStartAt).not.toBeNull();
    const other = await createTenant();
    const outsider = await createSignedInMember(other.id, { role: "owner" });
    await expect(cancel(await callerOf(outsider.sessionId), s.admin.member.id)).rejects.toThrow(/No such member/);
    expect((await memberRow(s.admin.member.id)).lockStartAt).not.toBeNull();
    expect(await db().auditEvent.count({ where: { tenantId: { in: [s.tenant.id, other.id] }, action: "member.lock_cancelled" } })).toBe(0);
  });

  it("is an admin's: a member is forbidden, an admin may not lift an owner's schedule, an owner may", async () => {
    const s = await scene();
    await scheduleLock(s.ownerCaller, s.owner.member.id);
    await expect(s.plainCaller.lifecycle.cancelLock({ memberId: s.owner.member.id.toString() })).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(s.adminCaller.lifecycle.cancelLock({ memberId: s.owner.member.id.toString() })).rejects.toThrow(/Only an owner/);
    const second = await createSignedInMember(s.tenant.id, { role: "owner" });
    await (await callerOf(second.sessionId)).lifecycle.cancelLock({ memberId: s.owner.member.id.toString() });
    expect((await memberRow(s.owner.member.id)).lockStartAt).toBeNull();
    // Malformed ids are refused at the boundary.
    for (const memberId of ["", "12a", "1".repeat(40), "\u0000", "x".repeat(1_000_000)]) {
      await expect(s.adminCaller.lifecycle.cancelLock({ memberId })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    }
  });

  it("cancels once under 50 parallel calls: one trail entry, the others told there is nothing to cancel", async () => {
    const s = await scene();
    await scheduleLock(s.adminCaller, s.member.id);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => s.adminCaller.lifecycle.cancelLock({ memberId: s.member.id.toString() })));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    for (const result of results) if (result.status === "rejected") expect(String(result.reason)).toMatch(/No lock is scheduled/);
    expect(await db().auditEvent.count({ where: { targetId: s.member.id, action: "member.lock_cancelled" } })).toBe(1);
  });
});
