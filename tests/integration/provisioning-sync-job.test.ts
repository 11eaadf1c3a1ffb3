import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { grantToMembers } from "@/server/access/grant-access";
import { syncMemberAccount } from "@/server/provisioning/sync-member-account";
import { startWorker } from "@/workers/start-worker";
import { createMember } from "../support/factories";
import { scimPeerForFile } from "../support/scim-peer";
import { accountOf, connectPeer, drainJobs, provisioningScene, provisioningState } from "../support/provisioning";
import { waitUntil } from "../support/wait-until";

// The sync job reads everything in one statement and records in one: what it
// records must be what the two transactions it replaced recorded, nothing may
// be held open while the peer answers, and under the batched delivery runner
// a member's jobs still run in order.

const rig = scimPeerForFile();

type TScene = Awaited<ReturnType<typeof provisioningScene>>;

async function provisionedMembers(scene: TScene, count: number) {
  const members = await Promise.all(Array.from({ length: count }, () => createMember(scene.tenant.id)));
  await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: members.map((member) => member.id.toString()) });
  await drainJobs();
  return members;
}

const receiptLines = (applicationId: bigint, memberId: bigint) =>
  db().$queryRaw<{ outcome: string; closed_at: Date; action: string }[]>`
    SELECT a.outcome, a.closed_at, r.action FROM lifecycle_receipt_accounts a JOIN lifecycle_receipts r ON r.id = a.receipt_id
    WHERE a.application_id = ${applicationId} AND r.user_id = ${memberId}`;


describe("the SCIM sync job", () => {
  it("records a close as before: state deactivated with the remote id kept, its dead letter cleared, one receipt line", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, rig.peer);
    const [member] = await provisionedMembers(scene, 1);
    const provisioned = await provisioningState(scene.application.id, member!.id);
    expect(provisioned).toMatchObject({ status: "provisioned", lastError: null, deactivatedAt: null });
    expect(provisioned?.lastSentHash).toMatch(/^[0-9a-f]{64}$/);
    // A dead letter left from an earlier failure is cleared by the same statement that records the close.
    await db().provisioningDeadLetter.create({ data: { tenantId: scene.tenant.id, applicationId: scene.application.id, userId: member!.id, error: "HTTP 503", attempts: 8 } });

    const before = new Date();
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [member!.id.toString()] });
    await drainJobs();

    expect(accountOf(rig.peer, member!.id)?.active).toBe(false);
    const closed = await provisioningState(scene.application.id, member!.id);
    expect(closed).toMatchObject({ status: "deactivated", remoteId: provisioned!.remoteId, lastSentHash: null, lastError: null });
    expect(closed!.deactivatedAt!.getTime()).toBeGreaterThanOrEqual(before.getTime() - 5);
    expect(await db().provisioningDeadLetter.count({ where: { applicationId: scene.application.id, userId: member!.id } })).toBe(0);
    const lines = await receiptLines(scene.application.id, member!.id);
    expect(lines).toEqual([{ outcome: "deactivated", closed_at: closed!.deactivatedAt, action: "disable" }]);

    // Running again changes nothing and adds no second line.
    expect(await syncMemberAccount(db(), scene.application.id, member!.id)).toBe("unchanged");
    expect(await receiptLines(scene.application.id, member!.id)).toHaveLength(1);
  });

  it("records a delete without the remote id, and re-provisioning on a re-grant clears the close", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, rig.peer, { deprovisionMode: "delete" });
    const [member] = await provisionedMembers(scene, 1);
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [member!.id.toString()] });
    await drainJobs();
    expect(accountOf(rig.peer, member!.id)).toBeUndefined();
    expect(await provisioningState(scene.application.id, member!.id)).toMatchObject({ status: "deleted", remoteId: null });
    expect((await receiptLines(scene.application.id, member!.id)).map((line) => line.outcome)).toEqual(["deleted"]);

    await scene.caller.lifecycle.run({ action: "enable", memberIds: [member!.id.toString()] });
    // Disabling revoked the direct grant: enabled and granted again, the account is created anew.
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member!.id.toString()] });
    await drainJobs();
    const account = accountOf(rig.peer, member!.id);
    expect(account?.active).toBe(true);
    expect(await provisioningState(scene.application.id, member!.id)).toMatchObject({ status: "provisioned", remoteId: account!.id, deactivatedAt: null });
  });

  it("holds no transaction and no lock on the pair while the peer answers", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, rig.peer);
    const [member] = await provisionedMembers(scene, 1);
    await db().user.update({ where: { id: member!.id }, data: { state: "disabled" } });
    await db().$executeRaw`DELETE FROM member_applications WHERE user_id = ${member!.id}`;
    rig.peer.setDelay(600);
    try {
      const running = syncMemberAccount(db(), scene.application.id, member!.id);
      // While the PATCH waits at the peer (600 ms): nobody is idle in a transaction, and the pair's row can be locked at once.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const [open] = await db().$queryRaw<{ count: number }[]>`
        SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`;
      expect(open?.count).toBe(0);
      const locked = await db().$transaction(async (tx) =>
        tx.$queryRaw<unknown[]>`SELECT 1 FROM member_provisioning WHERE application_id = ${scene.application.id} AND user_id = ${member!.id} FOR UPDATE NOWAIT`,
      );
      expect(locked).toHaveLength(1);
      expect(await running).toBe("deactivated");
    } finally {
      rig.peer.setDelay(0);
    }
  });

  it("under the batched delivery runner, a member's disable never overtakes their create", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, rig.peer);
    const members = await Promise.all(Array.from({ length: 12 }, () => createMember(scene.tenant.id)));
    const ids = members.map((member) => member.id.toString());
    rig.peer.setDelay(150);
    const worker = await startWorker({ connectionString: serverEnv().DATABASE_URL, concurrency: 1, deliveryConcurrency: 4, crontab: false, log: () => undefined });
    try {
      await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: ids });
      // Some creates are running or queued when the disable comes: its jobs share the pairs' queues.
      await waitUntil(() => rig.peer.requests.some((request) => request.method === "POST" && request.path.endsWith("/Users")), "the first create");
      await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: ids });
      const waiting = async () =>
        (await db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM graphile_worker.jobs WHERE queue_name LIKE ${`scim:${scene.application.id}:%`}`)[0]?.count ?? 0;
      await waitUntil(async () => (await waiting()) === 0, "every job to finish");
    } finally {
      await worker.stop();
      rig.peer.setDelay(0);
    }
    expect([...rig.peer.accounts.values()].filter((account) => ids.includes(String(account.externalId))).length).toBeGreaterThan(0);
    for (const member of members) {
      const accounts = [...rig.peer.accounts.values()].filter((account) => account.externalId === member.id.toString());
      // Either never created (the disable came first: nothing to close) or created once and closed after.
      expect(accounts.length).toBeLessThanOrEqual(1);
      if (accounts[0]) {
        expect(accounts[0].active).toBe(false);
        expect(await provisioningState(scene.application.id, member.id)).toMatchObject({ status: "deactivated", remoteId: accounts[0].id });
        expect((await receiptLines(scene.application.id, member.id)).map((line) => line.action)).toEqual(["disable"]);
      }
    }
  });
});
