import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers } from "@/server/access/grant-access";
import { ZodError } from "zod";
import { MAX_ATTEMPTS } from "@/server/provisioning/sync-member-account";
import { saveScimSettings } from "@/server/provisioning/manage-scim-settings";
import { createMember } from "../support/factories";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";
import { accountOf, connectPeer, drainJobs, makeProvisioningRetriesDue, provisioningScene, provisioningState } from "../support/provisioning";

let peer: TScimPeer;
beforeAll(async () => {
  peer = await startScimPeer();
});
afterAll(async () => {
  await peer.stop();
});

const scheduledRetry = async (applicationId: bigint, memberId: bigint) => {
  const rows = await db().$queryRaw<{ run_at: Date; payload: { attempt?: number } }[]>`
    SELECT run_at, payload FROM graphile_worker._private_jobs WHERE key = ${`scim:${applicationId}:${memberId}`}`;
  return rows[0] ?? null;
};

describe("SCIM delivery", () => {
  it("retries while the peer is down, then delivers create and update in order", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await createMember(scene.tenant.id);
    peer.failNext(2, 503);
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member.id.toString()] });
    await drainJobs();
    expect(accountOf(peer, member.id)).toBeUndefined();
    const retry = await scheduledRetry(scene.application.id, member.id);
    expect(retry?.payload.attempt).toBe(1);
    expect((await provisioningState(scene.application.id, member.id))?.lastError).toContain("HTTP 503");

    // A profile change while the create waits: it must not overtake it.
    await db().user.update({ where: { id: member.id }, data: { title: "Engineer" } });
    await makeProvisioningRetriesDue();
    await drainJobs();
    await makeProvisioningRetriesDue();
    await drainJobs();

    const account = accountOf(peer, member.id);
    expect(account).toMatchObject({ active: true, title: "Engineer" });
    const mine = peer.requests.filter((request) => request.status < 400 && request.method !== "GET");
    expect(mine.map((request) => request.method)[0]).toBe("POST");
    expect([...peer.accounts.values()].filter((entry) => entry.externalId === member.id.toString())).toHaveLength(1);
    expect(await provisioningState(scene.application.id, member.id)).toMatchObject({ status: "provisioned", lastError: null });
  });

  it("honours Retry-After on a 429", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await createMember(scene.tenant.id);
    peer.failNext(1, 429, 120);
    const before = Date.now();
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member.id.toString()] });
    await drainJobs();
    const retry = await scheduledRetry(scene.application.id, member.id);
    expect(retry!.run_at.getTime()).toBeGreaterThanOrEqual(before + 119_000);
    await makeProvisioningRetriesDue();
    await drainJobs();
    expect(accountOf(peer, member.id)?.active).toBe(true);
  });

  it("keeps to the application's rate limit: a job whose turn is seconds away goes back to the queue for then, calling nothing", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await createMember(scene.tenant.id);
    // The application's bucket deep in debt, as after a burst from other workers: its next turn is 10 s away.
    const bucket = `scim:${scene.application.id}`;
    await db().$executeRaw`
      INSERT INTO rate_limit_buckets (key, tokens, refilled_at) VALUES (${bucket}, -2000, now())
      ON CONFLICT (key) DO UPDATE SET tokens = -2000, refilled_at = now()`;
    const requestsBefore = peer.requests.length;
    const before = Date.now();
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member.id.toString()] });
    await drainJobs();
    expect(peer.requests.length).toBe(requestsBefore);
    expect(accountOf(peer, member.id)).toBeUndefined();
    const retry = await scheduledRetry(scene.application.id, member.id);
    expect(retry!.run_at.getTime()).toBeGreaterThanOrEqual(before + 9_000);
    // Not a failure: no attempt counted.
    expect(retry!.payload.attempt).toBeUndefined();

    await db().$executeRaw`UPDATE rate_limit_buckets SET tokens = 200 WHERE key = ${bucket}`;
    await makeProvisioningRetriesDue();
    await drainJobs();
    expect(accountOf(peer, member.id)?.active).toBe(true);
  });

  it("paces an application at its own limit: at 1 a second, a burst of five grants reaches it one a second, and every account is made", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer, { rateLimitPerSecond: 1 });
    const members = await Promise.all(Array.from({ length: 5 }, () => createMember(scene.tenant.id)));
    const before = Date.now();
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: members.map((member) => member.id.toString()) });
    for (let round = 0; round < 10 && members.some((member) => !accountOf(peer, member.id)); round += 1) {
      await drainJobs();
      await makeProvisioningRetriesDue();
    }
    expect(members.filter((member) => accountOf(peer, member.id))).toHaveLength(5);
    // A burst of one, then one a second: the n-th create came at least n - 1 seconds after the first.
    const calls = peer.requests.filter((request) => request.method === "POST" && request.at >= before).map((request) => request.at).sort((a, b) => a - b);
    expect(calls).toHaveLength(5);
    calls.forEach((at, index) => expect(at - calls[0]!).toBeGreaterThanOrEqual(index * 1000 - 50));
  });

  it("saves an application's limit with its connection and refuses one outside 1 to 1,000 on its field, saving nothing", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer, { rateLimitPerSecond: 50 });
    const saved = () => db().applicationScimSettings.findUniqueOrThrow({ where: { applicationId: scene.application.id } });
    expect((await saved()).rateLimitPerSecond).toBe(50);
    for (const rateLimitPerSecond of [0, 1001, 2.5, Number.NaN]) {
      const refused = await saveScimSettings(db(), scene.actor, { applicationId: scene.application.id.toString(), baseUrl: peer.url, rateLimitPerSecond }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ZodError);
      expect((refused as ZodError).issues[0]?.path).toEqual(["rateLimitPerSecond"]);
    }
    expect((await saved()).rateLimitPerSecond).toBe(50);
  });

  it("a retried create that already happened links the account instead of duplicating it", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await createMember(scene.tenant.id);
    // The account exists already (a create whose answer was lost, or made by hand): same userName, no externalId.
    const response = await fetch(`${peer.url}/Users`, {
      method: "POST",
      headers: { authorization: `Bearer ${peer.token}`, "content-type": "application/scim+json" },
      body: JSON.stringify({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], userName: member.username }),
    });
    const existing = (await response.json()) as { id: string };
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [member.id.toString()] });
    await drainJobs();
    expect((await provisioningState(scene.application.id, member.id))?.remoteId).toBe(existing.id);
    expect([...peer.accounts.values()].filter((entry) => entry.userName === member.username)).toHaveLength(1);
    expect(peer.accounts.get(existing.id)?.externalId).toBe(member.id.toString());
  });

  it("lands in the dead letters after the last attempt, and at once on a 4xx", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const [flaky, refused] = [await createMember(scene.tenant.id), await createMember(scene.tenant.id)];
    peer.failNext(MAX_ATTEMPTS * 3, 500);
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [flaky.id.toString()] });
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
      await makeProvisioningRetriesDue();
      await drainJobs();
    }
    peer.failNext(0, 500);
    expect(await db().provisioningDeadLetter.findMany({ where: { applicationId: scene.application.id } })).toMatchObject([{ userId: flaky.id, attempts: MAX_ATTEMPTS }]);
    expect((await provisioningState(scene.application.id, flaky.id))?.status).toBe("failed");

    peer.failNext(1, 400);
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [refused.id.toString()] });
    await drainJobs();
    expect((await db().provisioningDeadLetter.findFirst({ where: { userId: refused.id } }))?.attempts).toBe(1);
  });

  it("deletes instead of deactivating when the application is set to, and keeps a locked member's account", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer, { deprovisionMode: "delete" });
    const [locked, leaver] = [await createMember(scene.tenant.id), await createMember(scene.tenant.id)];
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [locked.id.toString(), leaver.id.toString()] });
    await drainJobs();
    await scene.caller.lifecycle.run({ action: "lock", reason: "test", memberIds: [locked.id.toString()] });
    await scene.caller.lifecycle.run({ action: "resign", reason: "left", memberIds: [leaver.id.toString()] });
    await drainJobs();
    expect(accountOf(peer, locked.id)?.active).toBe(true);
    expect(accountOf(peer, leaver.id)).toBeUndefined();
    expect(await provisioningState(scene.application.id, leaver.id)).toMatchObject({ status: "deleted", remoteId: null });
  });

  it("an application inherited from a department is provisioned, and reactivated when regained", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const member = await createMember(scene.tenant.id);
    const department = await db().department.create({ data: { tenantId: scene.tenant.id, name: "Sales" } });
    await db().departmentApplication.create({ data: { departmentId: department.id, applicationId: scene.application.id, subtree: false } });
    await db().departmentMember.create({ data: { departmentId: department.id, userId: member.id } });
    await db().user.update({ where: { id: member.id }, data: { mainDepartmentId: department.id } });
    await drainJobs();
    const account = accountOf(peer, member.id);
    expect(account?.active).toBe(true);
    expect(account?.["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]).toMatchObject({ department: "Sales" });

    await scene.caller.lifecycle.run({ action: "disable", reason: "leave", memberIds: [member.id.toString()] });
    await drainJobs();
    expect(accountOf(peer, member.id)?.active).toBe(false);
    await scene.caller.lifecycle.run({ action: "enable", memberIds: [member.id.toString()] });
    // The disable removed the member from nothing inherited: enabling gives the department's application back.
    await drainJobs();
    expect(accountOf(peer, member.id)).toMatchObject({ id: account!.id, active: true });
  });

  it("a bulk disable enqueues one job per member in the action's own transaction", async () => {
    const scene = await provisioningScene();
    await connectPeer(scene, peer);
    const members = await Promise.all(Array.from({ length: 40 }, () => createMember(scene.tenant.id)));
    const memberIds = members.map((member) => member.id.toString());
    await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds });
    await drainJobs();
    await scene.caller.lifecycle.run({ action: "disable", reason: "reorganisation", memberIds });
    const [queued] = await db().$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count FROM graphile_worker._private_jobs WHERE key LIKE ${`scim:${scene.application.id}:%`}`;
    expect(queued?.count).toBe(40);
    await drainJobs();
    expect(members.map((member) => accountOf(peer, member.id)?.active)).toEqual(members.map(() => false));
  });
});
