import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers } from "@/server/access/grant-access";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { createMember } from "../support/factories";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";
import { accountOf, connectPeer, drainJobs, makeProvisioningRetriesDue, provisioningScene } from "../support/provisioning";

// The access receipt of a disable lists each provisioned application account:
// closing (with the peer's error while retried), failed, or closed and when;
// time to zero access waits for the last account the peer confirmed closed.

let peer: TScimPeer;
beforeAll(async () => {
  peer = await startScimPeer();
});
afterAll(async () => {
  await peer.stop();
});

async function provisionedMember(scene: Awaited<ReturnType<typeof provisioningScene>>) {
  const member = await createMember(scene.tenant.id);
  await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member.id.toString()] });
  await drainJobs();
  expect(accountOf(peer, member.id)?.active).toBe(true);
  return member;
}

const latestReceipt = async (tenantId: bigint, memberId: bigint) => (await getMemberLifecycle(db(), tenantId, memberId)).receipts[0]!;

describe("the access receipt's application accounts", () => {
  it("shows the account pending with the peer's error while retried, then deactivated, and times zero access to it", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await provisionedMember(scene);

    peer.failNext(1, 503);
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [member.id.toString()] });
    await drainJobs();
    const waiting = await latestReceipt(scene.tenant.id, member.id);
    expect(waiting.accounts).toMatchObject([{ applicationId: scene.application.id.toString(), applicationName: scene.application.name, status: "pending", closedAt: null }]);
    expect(waiting.accounts[0]!.error).toContain("HTTP 503");
    expect(waiting.accountsPending).toBe(1);
    expect(waiting.zeroAccessMs).not.toBeNull();
    expect(waiting.timeToZeroAccessMs).toBeNull();

    await makeProvisioningRetriesDue();
    await drainJobs();
    expect(accountOf(peer, member.id)?.active).toBe(false);
    const closed = await latestReceipt(scene.tenant.id, member.id);
    expect(closed.accounts).toMatchObject([{ status: "deactivated", error: null }]);
    expect(closed.accountsPending).toBe(0);
    const closedAt = closed.accounts[0]!.closedAt!;
    // Measured from the commit to the peer's confirmation, not Tenure's own few milliseconds.
    expect(closed.timeToZeroAccessMs).toBeGreaterThanOrEqual(closed.zeroAccessMs!);
    expect(closed.timeToZeroAccessMs!).toBeGreaterThanOrEqual(closedAt.getTime() - closed.zeroAccessAt!.getTime());
    expect(closed.timeToZeroAccessMs!).toBeLessThanOrEqual(closedAt.getTime() - closed.committedAt.getTime());
  });

  it("shows a failed close with the peer's words and no time to zero access", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await provisionedMember(scene);

    peer.failNext(1, 400);
    await scene.caller.lifecycle.run({ action: "resign", reason: "moved on", memberIds: [member.id.toString()] });
    await drainJobs();
    const receipt = await latestReceipt(scene.tenant.id, member.id);
    expect(receipt.accounts).toMatchObject([{ status: "failed" }]);
    expect(receipt.accounts[0]!.error).toContain("Switched to fail");
    expect(receipt.accountsFailed).toBe(1);
    expect(receipt.timeToZeroAccessMs).toBeNull();
  });

  it("once the member is enabled again, the disable's receipt keeps the closed account and shows no account as open", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await provisionedMember(scene);
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [member.id.toString()] });
    await drainJobs();
    await scene.caller.lifecycle.run({ action: "enable", memberIds: [member.id.toString()] });
    // Enabled and granted again (disabling revoked the grant): the account is reactivated.
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member.id.toString()] });
    const reopened = await latestReceipt(scene.tenant.id, member.id);
    expect(reopened.action).toBe("disable");
    expect(reopened.accounts).toMatchObject([{ status: "deactivated" }]);
    await drainJobs();
    expect(accountOf(peer, member.id)?.active).toBe(true);
    expect((await latestReceipt(scene.tenant.id, member.id)).accounts).toMatchObject([{ status: "deactivated" }]);
  });

  it("records the close on the disable's receipt even when the worker's clock is behind the database's", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await provisionedMember(scene);
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [member.id.toString()] });
    // As if the database's clock ran ahead of the worker's: the commit looks later than the peer's answer.
    await db().$executeRaw`UPDATE lifecycle_receipts SET committed_at = committed_at + interval '5 seconds' WHERE user_id = ${member.id}`;
    await drainJobs();
    expect(accountOf(peer, member.id)?.active).toBe(false);
    const receipt = await latestReceipt(scene.tenant.id, member.id);
    expect(receipt.accounts).toMatchObject([{ applicationId: scene.application.id.toString(), status: "deactivated" }]);
    // Never closed before the commit that asked for it.
    expect(receipt.accounts[0]!.closedAt!.getTime()).toBeGreaterThanOrEqual(receipt.committedAt.getTime());
  });

  it("another tenant's admin cannot read the receipt", async () => {
    const scene = await provisioningScene();
    const other = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await provisionedMember(scene);
    await expect(other.caller.lifecycle.ofMember({ memberId: member.id.toString() })).rejects.toThrow();
  });
});
