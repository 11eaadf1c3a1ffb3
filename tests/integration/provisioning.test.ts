import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers } from "@/server/access/grant-access";
import { createMember } from "../support/factories";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";
import { accountOf, connectPeer, drainJobs, provisioningScene, provisioningState } from "../support/provisioning";

let peer: TScimPeer;
beforeAll(async () => {
  peer = await startScimPeer();
});
afterAll(async () => {
  await peer.stop();
});

describe("outbound SCIM provisioning", () => {
  it("creates the account when the application is granted, PATCHes a profile change, deactivates on disable, deletes on hard delete", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await createMember(scene.tenant.id);
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member.id.toString()] });
    expect((await provisioningState(scene.application.id, member.id))?.status).toBe("pending");
    await drainJobs();

    const created = accountOf(peer, member.id);
    expect(created).toMatchObject({ userName: member.username, active: true, emails: [{ value: member.email, type: "work", primary: true }] });
    const state = await provisioningState(scene.application.id, member.id);
    expect(state).toMatchObject({ status: "provisioned", remoteId: created!.id });

    const before = peer.requests.length;
    await scene.caller.members.update({
      memberId: member.id.toString(), expectedLastModifiedDate: (await scene.caller.members.get({ memberId: member.id.toString() })).updatedAt,
      firstName: "Renamed", lastName: member.lastName, username: member.username, email: member.email, mobile: member.mobile!, country: "GB", role: "member",
    });
    await drainJobs();
    const patches = peer.requests.slice(before).filter((request) => request.method === "PATCH");
    expect(patches).toHaveLength(1);
    expect((accountOf(peer, member.id)?.name as { givenName: string }).givenName).toBe("Renamed");

    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [member.id.toString()] });
    await drainJobs();
    expect(accountOf(peer, member.id)?.active).toBe(false);
    expect(await provisioningState(scene.application.id, member.id)).toMatchObject({ status: "deactivated" });
    const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: member.id, action: "disable" }, orderBy: { id: "desc" } });
    expect(await db().lifecycleReceiptAccount.findMany({ where: { receiptId: receipt.id } })).toMatchObject([{ applicationId: scene.application.id, outcome: "deactivated" }]);

    await scene.caller.lifecycle.run({ action: "delete", memberIds: [member.id.toString()] });
    await scene.caller.lifecycle.hardDelete({ memberId: member.id.toString(), confirmUsername: member.username });
    await drainJobs();
    expect(accountOf(peer, member.id)).toBeUndefined();
    expect(await provisioningState(scene.application.id, member.id)).toBeNull();
  });
});
