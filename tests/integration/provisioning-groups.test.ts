import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers, revokeFromMember } from "@/server/access/grant-access";
import { createCatalogItem, deleteCatalogItem, updateCatalogItem } from "@/server/access/manage-catalog";
import { saveScimSettings } from "@/server/provisioning/manage-scim-settings";
import { createMember } from "../support/factories";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";
import { accountOf, connectPeer, drainJobs, provisioningScene } from "../support/provisioning";

// Groups pushed to an application (its settings say so): a SCIM Group per
// Tenure group with members holding an account there, its members exactly
// those accounts, renamed with the group, deleted when the group is deleted
// or has no account left.

let peer: TScimPeer;
beforeAll(async () => {
  peer = await startScimPeer();
});
afterAll(async () => {
  await peer.stop();
});

type TScene = Awaited<ReturnType<typeof provisioningScene>>;
const groupAt = (externalId: bigint) => [...peer.groups.values()].find((group) => group.externalId === externalId.toString());
const memberIdsAt = (externalId: bigint) =>
  ((groupAt(externalId)?.members ?? []) as { value: string }[]).map((member) => member.value).sort();
const accountIds = (...memberIds: bigint[]) => memberIds.map((id) => accountOf(peer, id)!.id).sort();

async function pushGroups(scene: TScene, on: boolean) {
  await saveScimSettings(db(), scene.actor, { applicationId: scene.application.id.toString(), baseUrl: peer.url, deprovisionMode: "deactivate", pushGroups: on });
}
const grant = (scene: TScene, kind: "application" | "group", itemId: bigint, memberIds: bigint[]) =>
  grantToMembers(db(), scene.actor, { kind, itemId: itemId.toString(), memberIds: memberIds.map(String) });

describe("pushing groups over SCIM", () => {
  it("creates the group with its members' accounts when turned on, and keeps membership, name and existence in step", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const group = await createCatalogItem(db(), scene.actor, { kind: "group", name: `Support ${Date.now()}` });
    const [ada, bob, cy] = [await createMember(scene.tenant.id), await createMember(scene.tenant.id), await createMember(scene.tenant.id)];
    await grant(scene, "application", scene.application.id, [ada.id, bob.id]);
    await grant(scene, "group", group.id, [ada.id, bob.id, cy.id]);
    await drainJobs();
    expect(groupAt(group.id)).toBeUndefined();

    // Turned on: the group goes with the two members who have an account (not Cy).
    await pushGroups(scene, true);
    await drainJobs();
    expect(groupAt(group.id)).toMatchObject({ displayName: group.name });
    expect(memberIdsAt(group.id)).toEqual(accountIds(ada.id, bob.id));
    expect((await db().provisioningGroup.findUnique({ where: { applicationId_groupId: { applicationId: scene.application.id, groupId: group.id } } }))?.remoteId).toBe(groupAt(group.id)!.id);

    // Bob leaves the group; Cy gets an account (and so joins the group at the peer).
    await revokeFromMember(db(), scene.actor, { kind: "group", itemId: group.id.toString(), memberId: bob.id.toString() });
    await grant(scene, "application", scene.application.id, [cy.id]);
    await drainJobs();
    expect(memberIdsAt(group.id)).toEqual(accountIds(ada.id, cy.id));

    await updateCatalogItem(db(), scene.actor, { kind: "group", itemId: group.id.toString(), name: "Support desk" });
    await drainJobs();
    expect(groupAt(group.id)?.displayName).toBe("Support desk");

    // Ada's account closed (disabled): she is no longer a member there.
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [ada.id.toString()] });
    await drainJobs();
    expect(memberIdsAt(group.id)).toEqual(accountIds(cy.id));

    // Emptied of accounts: deleted at the peer; a new member brings it back.
    await revokeFromMember(db(), scene.actor, { kind: "group", itemId: group.id.toString(), memberId: cy.id.toString() });
    await drainJobs();
    expect(groupAt(group.id)).toBeUndefined();
    await grant(scene, "group", group.id, [cy.id]);
    await drainJobs();
    expect(memberIdsAt(group.id)).toEqual(accountIds(cy.id));

    // Deleted in Tenure: deleted there, and no state is left.
    await deleteCatalogItem(db(), scene.actor, { kind: "group", itemId: group.id.toString() });
    await drainJobs();
    expect(groupAt(group.id)).toBeUndefined();
    expect(await db().provisioningGroup.count({ where: { groupId: group.id } })).toBe(0);
  });

  it("a member added at the peer by hand is removed (Tenure owns the group); a failing peer is retried", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    await pushGroups(scene, true);
    const group = await createCatalogItem(db(), scene.actor, { kind: "group", name: `Ops ${Date.now()}` });
    const ada = await createMember(scene.tenant.id);
    await grant(scene, "application", scene.application.id, [ada.id]);
    await drainJobs();
    peer.failNext(1, 503);
    await grant(scene, "group", group.id, [ada.id]);
    await drainJobs();
    expect(groupAt(group.id)).toBeUndefined();
    expect((await db().provisioningGroup.findFirst({ where: { groupId: group.id } }))?.lastError).toContain("HTTP 503");
    const overview = await scene.caller.provisioning.overview({ applicationId: scene.application.id.toString() });
    expect(overview.groups.failing).toMatchObject([{ groupId: group.id.toString(), name: group.name }]);
    expect(overview.groups.failing[0]!.error).toContain("HTTP 503");
    await db().$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() - interval '1 second' WHERE key LIKE 'scim-group:%'`;
    await drainJobs();
    expect(memberIdsAt(group.id)).toEqual(accountIds(ada.id));
    expect((await scene.caller.provisioning.overview({ applicationId: scene.application.id.toString() })).groups).toEqual({ pushed: 1, failing: [] });

    const remote = groupAt(group.id)!;
    peer.groups.set(remote.id, { ...remote, members: [...(remote.members as object[]), { value: "someone-else" }] });
    // Any change of the group runs its job: a rename here.
    await updateCatalogItem(db(), scene.actor, { kind: "group", itemId: group.id.toString(), name: "Operations" });
    await drainJobs();
    expect(memberIdsAt(group.id)).toEqual(accountIds(ada.id));
  });

  it("with pushing off, no group job runs and nothing reaches the peer's groups", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const group = await createCatalogItem(db(), scene.actor, { kind: "group", name: `Quiet ${Date.now()}` });
    const ada = await createMember(scene.tenant.id);
    await grant(scene, "application", scene.application.id, [ada.id]);
    await grant(scene, "group", group.id, [ada.id]);
    const [queued] = await db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM graphile_worker._private_jobs WHERE key LIKE ${`scim-group:${scene.application.id}:%`}`;
    expect(queued?.count).toBe(0);
    await drainJobs();
    expect(groupAt(group.id)).toBeUndefined();
  });

  it("a burst of parallel joins folds into one job for the group, and one group at the peer", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    await pushGroups(scene, true);
    const group = await createCatalogItem(db(), scene.actor, { kind: "group", name: `Burst ${Date.now()}` });
    const members = await Promise.all(Array.from({ length: 12 }, () => createMember(scene.tenant.id)));
    await grant(scene, "application", scene.application.id, members.map((member) => member.id));
    await drainJobs();
    await Promise.all(members.map((member) => grant(scene, "group", group.id, [member.id])));
    const [queued] = await db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM graphile_worker._private_jobs WHERE key = ${`scim-group:${scene.application.id}:${group.id}`}`;
    expect(queued?.count).toBe(1);
    await drainJobs();
    expect([...peer.groups.values()].filter((entry) => entry.externalId === group.id.toString())).toHaveLength(1);
    expect(memberIdsAt(group.id)).toEqual(accountIds(...members.map((member) => member.id)));
  });
});
