import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers } from "@/server/access/grant-access";
import { ENTERPRISE_USER_SCHEMA } from "@/server/provisioning/scim-user";
import { createMember } from "../support/factories";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";
import { accountOf, connectPeer, drainJobs, provisioningScene } from "../support/provisioning";

// What the peer holds follows the member record both ways: a field cleared in
// Tenure is removed at the peer (not left with its old value), and the
// enterprise extension follows the department (renamed, its head changed).

let peer: TScimPeer;
beforeAll(async () => {
  peer = await startScimPeer();
});
afterAll(async () => {
  await peer.stop();
});

type TEnterprise = { department?: string; manager?: { value: string } };
const enterpriseOf = (account: Record<string, unknown> | undefined) => (account?.[ENTERPRISE_USER_SCHEMA] ?? {}) as TEnterprise;

/** A department with a head and a member in it (both main there), both holding the application, provisioned head first. */
async function departmentScene() {
  const scene = await provisioningScene();
  await connectPeer(scene, peer);
  const department = await scene.caller.departments.create({ name: `Sales ${Math.random().toString(36).slice(2, 7)}` });
  const head = await createMember(scene.tenant.id);
  const member = await createMember(scene.tenant.id);
  for (const person of [head, member]) await scene.caller.departments.join({ memberId: person.id.toString(), departmentId: department.id, main: true });
  await scene.caller.departments.setHead({ memberId: head.id.toString(), departmentId: department.id, head: true });
  await db().user.update({ where: { id: member.id }, data: { title: "Account executive" } });
  const grant = (memberId: bigint) => grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.application.id.toString(), memberIds: [memberId.toString()] });
  await grant(head.id);
  await drainJobs();
  await grant(member.id);
  await drainJobs();
  return { scene, department, head, member };
}

describe("SCIM attributes that change elsewhere", () => {
  it("removes title and phone numbers at the peer when they are cleared in Tenure", async () => {
    const { member } = await departmentScene();
    const before = accountOf(peer, member.id);
    expect(before).toMatchObject({ title: "Account executive", phoneNumbers: [{ value: member.mobile, type: "mobile" }] });

    const sent = peer.requests.length;
    await db().user.update({ where: { id: member.id }, data: { title: null, mobile: null } });
    await drainJobs();
    const after = accountOf(peer, member.id)!;
    expect(after.title).toBeUndefined();
    expect(after.phoneNumbers ?? []).toEqual([]);
    const patch = peer.requests.slice(sent).find((request) => request.method === "PATCH");
    expect((patch?.body as { Operations: { op: string; path?: string }[] }).Operations).toEqual(
      expect.arrayContaining([{ op: "remove", path: "title" }, { op: "remove", path: "phoneNumbers" }]),
    );
    // The rest is untouched.
    expect(after).toMatchObject({ userName: member.username, active: true });
  });

  it("a department renamed is sent to its provisioned members; unsetting the head removes their manager; leaving removes the department", async () => {
    const { scene, department, head, member } = await departmentScene();
    const headAccount = accountOf(peer, head.id)!;
    expect(enterpriseOf(accountOf(peer, member.id))).toEqual({ department: department.name, manager: { value: headAccount.id } });

    await scene.caller.departments.rename({ departmentId: department.id, name: "Field sales" });
    await drainJobs();
    expect(enterpriseOf(accountOf(peer, member.id)).department).toBe("Field sales");
    expect(enterpriseOf(accountOf(peer, head.id)).department).toBe("Field sales");

    await scene.caller.departments.setHead({ memberId: head.id.toString(), departmentId: department.id, head: false });
    await drainJobs();
    expect(enterpriseOf(accountOf(peer, member.id))).toEqual({ department: "Field sales" });

    await scene.caller.departments.setHead({ memberId: head.id.toString(), departmentId: department.id, head: true });
    await drainJobs();
    expect(enterpriseOf(accountOf(peer, member.id)).manager).toEqual({ value: headAccount.id });

    // The head's own account closed: the manager names no live account any more.
    await scene.caller.lifecycle.run({ action: "disable", reason: "left", memberIds: [head.id.toString()] });
    await drainJobs();
    expect(accountOf(peer, head.id)?.active).toBe(false);
    expect(enterpriseOf(accountOf(peer, member.id)).manager).toBeUndefined();

    await scene.caller.departments.leave({ memberId: member.id.toString(), departmentId: department.id });
    await drainJobs();
    expect(enterpriseOf(accountOf(peer, member.id)).department).toBeUndefined();
  });

  it("a rename enqueues one job per provisioned member in one statement, none for members without an account", async () => {
    const { scene, department, member } = await departmentScene();
    const outsider = await createMember(scene.tenant.id);
    await scene.caller.departments.join({ memberId: outsider.id.toString(), departmentId: department.id, main: true });
    await drainJobs();
    await scene.caller.departments.rename({ departmentId: department.id, name: "Inside sales" });
    const keys = await db().$queryRaw<{ key: string }[]>`SELECT key FROM graphile_worker._private_jobs WHERE key LIKE ${`scim:${scene.application.id}:%`} ORDER BY key`;
    expect(keys.map((row) => row.key)).toContain(`scim:${scene.application.id}:${member.id}`);
    expect(keys.map((row) => row.key)).not.toContain(`scim:${scene.application.id}:${outsider.id}`);
    await drainJobs();
  });
});
