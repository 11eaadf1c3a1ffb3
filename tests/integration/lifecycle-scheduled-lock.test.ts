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
