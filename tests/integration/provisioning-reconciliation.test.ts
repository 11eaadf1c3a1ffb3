import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers } from "@/server/access/grant-access";
import { approveProvisioning, saveScimSettings } from "@/server/provisioning/manage-scim-settings";
import { startReconciliation } from "@/server/provisioning/reconciliations";
import { createMember } from "../support/factories";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";
import { accountOf, connectPeer, drainJobs, provisioningScene, provisioningState } from "../support/provisioning";

// Each test gets its own peer: another test's accounts would be drift here (accounts Tenure's organisation does not manage).
let peer: TScimPeer;
beforeEach(async () => {
  peer = await startScimPeer();
});
afterEach(async () => {
  await peer.stop();
});

const createAtPeer = async (user: Record<string, unknown>) => {
  const response = await fetch(`${peer.url}/Users`, {
    method: "POST",
    headers: { authorization: `Bearer ${peer.token}`, "content-type": "application/scim+json" },
    body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], ...user }),
  });
  return ((await response.json()) as { id: string }).id;
};

const reportOf = async (reconciliationId: string) =>
  (await db().provisioningReconciliationItem.findMany({ where: { reconciliationId: BigInt(reconciliationId) }, orderBy: { id: "asc" } })).map((item) => ({
    finding: item.finding, memberId: item.userId, action: item.action,
  }));

describe("SCIM reconciliation", () => {
  it("the first connection's dry run lists the backfill without writing, and approval is refused until it ran", async () => {
    const scene = await provisioningScene();
    const holders = [await createMember(scene.tenant.id), await createMember(scene.tenant.id)];
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: holders.map((member) => member.id.toString()) });
    const applicationId = scene.application.id.toString();
    await saveScimSettings(db(), scene.actor, { applicationId, baseUrl: peer.url, token: peer.token });
    await expect(approveProvisioning(db(), scene.actor, { applicationId })).rejects.toThrow("dry-run reconciliation first");

    const writesBefore = peer.requests.filter((request) => request.method !== "GET").length;
    // Asking for a fixing run before approval still only reads.
    const { reconciliationId } = await startReconciliation(db(), scene.actor, { applicationId, dryRun: false });
    await drainJobs();
    const run = await db().provisioningReconciliation.findUniqueOrThrow({ where: { id: BigInt(reconciliationId) } });
    expect(run).toMatchObject({ status: "completed", dryRun: true, findings: { missing: 2 } });
    expect(await reportOf(reconciliationId)).toEqual(holders.map((member) => ({ finding: "missing", memberId: member.id, action: "reported" })));
    expect(peer.requests.filter((request) => request.method !== "GET").length).toBe(writesBefore);
    expect(await db().memberProvisioning.count({ where: { applicationId: scene.application.id } })).toBe(0);

    const { queued } = await approveProvisioning(db(), scene.actor, { applicationId });
    expect(queued).toBe(2);
    await drainJobs();
    for (const member of holders) expect(accountOf(peer, member.id)?.active).toBe(true);
  });

  it("finds and fixes planted drift: an account re-enabled remotely, one deleted remotely, one made outside Tenure, one to link by userName", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const applicationId = scene.application.id.toString();
    const [leaver, vanished, unlinked] = [await createMember(scene.tenant.id), await createMember(scene.tenant.id), await createMember(scene.tenant.id)];
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: applicationId, memberIds: [leaver.id.toString(), vanished.id.toString()] });
    await drainJobs();
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [leaver.id.toString()] });
    await drainJobs();

    // Drift made at the peer, behind Tenure's back.
    const reenabled = accountOf(peer, leaver.id)!;
    peer.accounts.set(reenabled.id, { ...reenabled, active: true });
    peer.accounts.delete(accountOf(peer, vanished.id)!.id);
    const stranger = await createAtPeer({ userName: `outsider-${Date.now()}` });
    // Provisioning off while the grant happens, as if the account had been made by hand before the connection.
    await db().applicationScimSettings.update({ where: { applicationId: scene.application.id }, data: { enabled: false } });
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: applicationId, memberIds: [unlinked.id.toString()] });
    await db().applicationScimSettings.update({ where: { applicationId: scene.application.id }, data: { enabled: true } });
    const handMade = await createAtPeer({ userName: unlinked.username });

    const { reconciliationId } = await startReconciliation(db(), scene.actor, { applicationId, dryRun: false });
    await drainJobs();
    const report = await reportOf(reconciliationId);
    expect(report).toEqual(
      expect.arrayContaining([
        { finding: "reenabled", memberId: leaver.id, action: "queued" },
        { finding: "missing", memberId: vanished.id, action: "queued" },
        { finding: "linked", memberId: unlinked.id, action: "queued" },
        { finding: "unmanaged", memberId: null, action: "reported" },
      ]),
    );
    expect(report).toHaveLength(4);
    expect(accountOf(peer, leaver.id)?.active).toBe(false);
    expect(accountOf(peer, vanished.id)?.active).toBe(true);
    expect(peer.accounts.get(handMade)?.externalId).toBe(unlinked.id.toString());
    expect((await provisioningState(scene.application.id, unlinked.id))?.remoteId).toBe(handMade);
    expect(peer.accounts.get(stranger)?.active).not.toBe(false);

    // Fixed: a second run finds only the account Tenure does not manage.
    const again = await startReconciliation(db(), scene.actor, { applicationId, dryRun: true });
    await drainJobs();
    expect(await reportOf(again.reconciliationId)).toEqual([{ finding: "unmanaged", memberId: null, action: "reported" }]);
  });

  it("reads a peer larger than one page page by page (startIndex honoured) and finds drift on the last page", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const applicationId = scene.application.id.toString();
    // 230 accounts made outside Tenure fill pages 1 and 2 and part of 3 (pages of RECONCILE_PAGE_SIZE).
    for (let index = 0; index < 230; index += 1) {
      const id = `planted-${index}`;
      peer.accounts.set(id, { id, userName: `planted-${index}@example.org`, active: true });
    }
    const leaver = await createMember(scene.tenant.id);
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: applicationId, memberIds: [leaver.id.toString()] });
    await drainJobs();
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [leaver.id.toString()] });
    await drainJobs();
    const account = accountOf(peer, leaver.id)!;
    peer.accounts.set(account.id, { ...account, active: true });

    const listedBefore = peer.requests.length;
    const { reconciliationId } = await startReconciliation(db(), scene.actor, { applicationId, dryRun: false });
    await drainJobs();
    const run = await db().provisioningReconciliation.findUniqueOrThrow({ where: { id: BigInt(reconciliationId) } });
    expect(run).toMatchObject({ status: "completed", accountsRead: 231, findings: { unmanaged: 230, reenabled: 1 } });
    const pages = peer.requests.slice(listedBefore).filter((request) => request.method === "GET" && request.path.includes("/Users?") && !request.path.includes("filter="));
    expect(pages.map((request) => new URL(request.path, peer.url).searchParams.get("startIndex"))).toEqual(["1", "101", "201"]);
    expect(accountOf(peer, leaver.id)?.active).toBe(false);
    // Each account was read once: no page repeated the one before.
    const unmanaged = await db().provisioningReconciliationItem.findMany({ where: { reconciliationId: BigInt(reconciliationId), finding: "unmanaged" }, select: { remoteId: true } });
    expect(new Set(unmanaged.map((item) => item.remoteId)).size).toBe(230);
  });
});
