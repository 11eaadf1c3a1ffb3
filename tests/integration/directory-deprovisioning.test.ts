import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { checkSession, createSession } from "@/server/auth/sessions";
import { grantToMembers } from "@/server/access/grant-access";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { listAuditEvents } from "@/server/audit/list-audit-events";
import { getAuditEvent } from "@/server/audit/get-audit-event";
import { listMemberTimeline } from "@/server/audit/list-member-timeline";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { deprovisionDirectoryMembers, LAST_OWNER, NOT_THIS_DIRECTORY, reenableDirectoryMembers } from "@/server/directories/deprovision-members";
import type { Directory } from "@/server/db/generated/client";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { makeJobsDue, runDueJobs } from "../support/lifecycle";
import { createDirectory, createDirectoryMember } from "../support/directories";

const ACTIONS = ["disable", "resign", "archive", "delete"] as const;
const STATE_AFTER = { disable: "disabled", resign: "resigned", archive: "archived", delete: "deleted" } as const;

/** A tenant with an admin (who grants), a directory with the chosen action, and one of its members holding an app and a session. */
async function scene(directoryOverrides: Parameters<typeof createDirectory>[2] = {}) {
  const tenant = await createTenant();
  const { member: admin } = await createSignedInMember(tenant.id, { role: "owner" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
  const app = await createCatalogItem(db(), actor, { kind: "application", name: "Payroll" });
  const directory = await createDirectory(tenant.id, null, directoryOverrides);
  const newLeaver = async () => {
    const member = await createDirectoryMember(directory);
    await grantToMembers(db(), actor, { kind: "application", itemId: app.id.toString(), memberIds: [member.id.toString()] });
    const sessionId = await createSession(db(), { tenantId: tenant.id, userId: member.id, ipAddress: "127.0.0.1", userAgent: "vitest" });
    return { member, sessionId };
  };
  return { tenant, admin, actor, directory, newLeaver };
}

const deprovision = (directory: Directory, ids: bigint[], reason: "missing" | "disabled" = "missing") =>
  db().$transaction((tx) => deprovisionDirectoryMembers(tx, directory, ids, reason));
const reenable = (directory: Directory, ids: bigint[]) => db().$transaction((tx) => reenableDirectoryMembers(tx, directory, ids));
const stateOf = async (id: bigint) => (await db().user.findUnique({ where: { id }, select: { state: true } }))?.state ?? "erased";

describe("a directory's leavers go through the lifecycle", () => {
  for (const action of ACTIONS) {
    it(`${action}: the console's transition, sessions revoked by the job, a receipt with zero access, events naming the directory; twice changes nothing`, async () => {
      const { tenant, directory, newLeaver } = await scene({ deprovisionAction: action });
      const { member, sessionId } = await newLeaver();

      const outcome = await deprovision(directory, [member.id], "disabled");
      expect(outcome.changed.map((changed) => [changed.memberId, changed.after])).toEqual([[member.id, STATE_AFTER[action]]]);
      expect(await stateOf(member.id)).toBe(STATE_AFTER[action]);
      expect(await checkSession(db(), sessionId)).toMatchObject({ live: false });
      expect(await db().memberApplication.count({ where: { userId: member.id } })).toBe(0);

      await runDueJobs();
      const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: member.id } });
      expect(receipt).toMatchObject({ action, actorId: null, actorDirectoryId: directory.id, sessionsEnded: 1 });
      expect(receipt.zeroAccessMs).not.toBeNull();
      expect(receipt.revoked).toMatchObject({ applications: [{ name: "Payroll" }] });

      const events = await db().auditEvent.findMany({ where: { targetType: "member", targetId: member.id, actorDirectoryId: directory.id } });
      const lifecycleEvent = events.find((event) => event.action === `member.${action === "delete" ? "deleted" : action}`);
      expect(lifecycleEvent?.changes).toMatchObject({ reason: { after: `Disabled in directory ${directory.name}` } });

      // The trail, the event page, the timeline and the receipt say who: the directory, by name.
      const trail = await listAuditEvents(db(), tenant.id, { limit: 50 });
      expect(trail.items.find((item) => item.id === lifecycleEvent!.id.toString())?.actorName).toBe(`Directory ${directory.name}`);
      expect((await getAuditEvent(db(), tenant.id, lifecycleEvent!.id)).actorName).toBe(`Directory ${directory.name}`);
      const timeline = await listMemberTimeline(db(), tenant.id, { memberId: member.id.toString() });
      expect(timeline.items.find((item) => item.id === lifecycleEvent!.id.toString())?.actorName).toBe(`Directory ${directory.name}`);
      expect((await getMemberLifecycle(db(), tenant.id, member.id)).receipts[0]?.actorName).toBe(`Directory ${directory.name}`);

      // Idempotent: the same leaver again is refused by the state table and writes nothing.
      const counts = async () => [await db().auditEvent.count({ where: { targetId: member.id } }), await db().lifecycleReceipt.count({ where: { userId: member.id } })];
      const before = await counts();
      const again = await deprovision(directory, [member.id]);
      expect(again.changed).toEqual([]);
      expect(again.refused.map((refusal) => refusal.memberId)).toEqual([member.id]);
      expect(await counts()).toEqual(before);
    });

    it(`${action}: a returning entry comes back active when the directory re-enables, and stays when it does not`, async () => {
      const on = await scene({ deprovisionAction: action, reenableReturning: true });
      const { member } = await on.newLeaver();
      await deprovision(on.directory, [member.id]);
      expect(await reenable(on.directory, [member.id])).toEqual({ reenabled: [member.id] });
      expect(await stateOf(member.id)).toBe("active");
      const events = await db().auditEvent.findMany({ where: { targetId: member.id, actorDirectoryId: on.directory.id }, select: { action: true } });
      expect(events.map((event) => event.action)).toEqual(expect.arrayContaining(action === "delete" ? ["member.restored"] : ["member.enable"]));
      // Coming back twice changes nothing.
      expect(await reenable(on.directory, [member.id])).toEqual({ reenabled: [] });

      const off = await scene({ deprovisionAction: action, reenableReturning: false });
      const { member: leaver } = await off.newLeaver();
      await deprovision(off.directory, [leaver.id]);
      expect(await reenable(off.directory, [leaver.id])).toEqual({ reenabled: [] });
      expect(await stateOf(leaver.id)).toBe(STATE_AFTER[action]);
    });
  }

  it("never undoes what an admin did in the console: a member an admin disabled stays disabled when their entry is seen again", async () => {
    const { actor, directory, newLeaver } = await scene({ deprovisionAction: "disable" });
    const { member } = await newLeaver();
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: [member.id.toString()], reason: "Under investigation" });
    expect(await reenable(directory, [member.id])).toEqual({ reenabled: [] });
    expect(await stateOf(member.id)).toBe("disabled");
    // Directory disabled, then an admin archived: the admin's archive stands.
    const { member: second } = await newLeaver();
    await deprovision(directory, [second.id]);
    await runLifecycleAction(db(), actor, { action: "archive", memberIds: [second.id.toString()] });
    expect(await reenable(directory, [second.id])).toEqual({ reenabled: [] });
    expect(await stateOf(second.id)).toBe("archived");
  });

  it("after the grace period a deleted member is erased and cannot come back: the sync then creates a new member", async () => {
    const { directory, newLeaver } = await scene({ deprovisionAction: "delete" });
    const { member } = await newLeaver();
    await deprovision(directory, [member.id]);
    await db().memberRecycleBinEntry.update({ where: { userId: member.id }, data: { hardDeleteAt: new Date(Date.now() - 1000) } });
    await makeJobsDue(memberJobKey("hard-delete", member.id));
    await runDueJobs();
    expect(await stateOf(member.id)).toBe("erased");
    expect(await reenable(directory, [member.id])).toEqual({ reenabled: [] });
  });

  it("touches only its own members: another tenant's, another directory's and console members are refused and unchanged", async () => {
    const { tenant, directory } = await scene({ deprovisionAction: "delete" });
    const otherTenant = await createTenant();
    const foreignDirectory = await createDirectory(otherTenant.id, null);
    const foreign = await createDirectoryMember(foreignDirectory);
    const sibling = await createDirectoryMember(await createDirectory(tenant.id, null));
    const local = await createMember(tenant.id);
    const outcome = await deprovision(directory, [foreign.id, sibling.id, local.id]);
    expect(outcome.changed).toEqual([]);
    expect(outcome.refused.map((refusal) => refusal.message)).toEqual([NOT_THIS_DIRECTORY, NOT_THIS_DIRECTORY, NOT_THIS_DIRECTORY]);
    for (const id of [foreign.id, sibling.id, local.id]) expect(await stateOf(id)).toBe("active");
    expect(await db().auditEvent.count({ where: { actorDirectoryId: directory.id } })).toBe(0);
    // Re-enabling another tenant's deprovisioned member is refused the same way.
    await deprovision(foreignDirectory, [foreign.id]);
    expect(await reenable(directory, [foreign.id])).toEqual({ reenabled: [] });
    expect(await stateOf(foreign.id)).toBe("disabled");
  });

  it("deprovisions an owner the directory manages, but never the organisation's last owner who can act", async () => {
    const tenant = await createTenant();
    const directory = await createDirectory(tenant.id, null);
    const first = await createDirectoryMember(directory, { role: "owner" });
    const second = await createDirectoryMember(directory, { role: "owner" });
    const outcome = await deprovision(directory, [first.id]);
    expect(outcome.changed.map((changed) => changed.memberId)).toEqual([first.id]);
    expect(await stateOf(first.id)).toBe("disabled");

    // A wrong base DN: every remaining owner "disappears" at once. One is kept.
    const last = await deprovision(directory, [second.id]);
    expect(last.changed).toEqual([]);
    expect(last.refused).toEqual([{ memberId: second.id, username: second.username, message: LAST_OWNER }]);
    expect(await stateOf(second.id)).toBe("active");

    // Two owners leaving in one batch with no other owner: the lower id is spared, the other goes.
    const tenantB = await createTenant();
    const directoryB = await createDirectory(tenantB.id, null);
    const [ownerA, ownerB] = [await createDirectoryMember(directoryB, { role: "owner" }), await createDirectoryMember(directoryB, { role: "owner" })];
    const both = await deprovision(directoryB, [ownerA.id, ownerB.id]);
    expect(both.changed.map((changed) => changed.memberId)).toEqual([ownerB.id]);
    expect(both.refused.map((refusal) => [refusal.memberId, refusal.message])).toEqual([[ownerA.id, LAST_OWNER]]);
  });

  it("parallel runs: the same leaver deprovisioned five times at once changes once; two directories taking the last two owners at once leave one", async () => {
    const { directory, newLeaver } = await scene();
    const { member } = await newLeaver();
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => deprovision(directory, [member.id])));
    expect(outcomes.flatMap((outcome) => outcome.changed)).toHaveLength(1);
    expect(await db().lifecycleReceipt.count({ where: { userId: member.id } })).toBe(1);

    const tenant = await createTenant();
    const [first, second] = [await createDirectory(tenant.id, null), await createDirectory(tenant.id, null)];
    const ownerA = await createDirectoryMember(first, { role: "owner" });
    const ownerB = await createDirectoryMember(second, { role: "owner" });
    const [a, b] = await Promise.all([deprovision(first, [ownerA.id]), deprovision(second, [ownerB.id])]);
    expect(a.changed.length + b.changed.length).toBe(1);
    expect([...a.refused, ...b.refused].map((refusal) => refusal.message)).toEqual([LAST_OWNER]);
    expect([await stateOf(ownerA.id), await stateOf(ownerB.id)].sort()).toEqual(["active", "disabled"]);
  });

  it("a bulk deprovision alerts the owners \"By Directory <name>\"", async () => {
    const { tenant, directory, newLeaver } = await scene();
    await db().alertRule.updateMany({ where: { tenantId: tenant.id, eventClass: "bulk_lifecycle" }, data: { threshold: 2, enabled: true } });
    const leavers = [(await newLeaver()).member, (await newLeaver()).member];
    await deprovision(directory, leavers.map((member) => member.id));
    await runDueJobs();
    const notification = await db().notification.findFirstOrThrow({ where: { tenantId: tenant.id, eventClass: "bulk_lifecycle" } });
    expect(notification.body).toContain(`By Directory ${directory.name}.`);
  });

  it("a deleted directory still reads as Directory #<id> (deleted) on events and receipts", async () => {
    const { tenant, directory, newLeaver } = await scene();
    const { member } = await newLeaver();
    await deprovision(directory, [member.id]);
    await db().$executeRaw`UPDATE users SET user_directory_id = NULL WHERE user_directory_id = ${directory.id}`;
    await db().directory.delete({ where: { id: directory.id } });
    const timeline = await listMemberTimeline(db(), tenant.id, { memberId: member.id.toString() });
    expect(timeline.items.find((item) => item.action === "member.disable")?.actorName).toBe(`Directory #${directory.id} (deleted)`);
    expect((await getMemberLifecycle(db(), tenant.id, member.id)).receipts[0]?.actorName).toBe(`Directory #${directory.id} (deleted)`);
  });
});
