import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createSignedInMember, TEST_PASSWORD } from "../support/factories";
import { lifecycleScene } from "../support/lifecycle";

const SIX_MINUTES = 6 * 60 * 1000;

/** A member disabled (their app and policy revoked, on the receipt) and enabled again, and an owner's caller. */
async function regrantScene() {
  const scene = await lifecycleScene();
  const { member: owner, sessionId } = await createSignedInMember(scene.tenant.id, { role: "owner" });
  const caller = createCaller(await createContextForSessionId(sessionId, { ipAddress: "198.51.100.32", userAgent: "vitest" }));
  const { member } = await scene.newMember();
  const memberIds = [member.id.toString()];
  await caller.lifecycle.run({ action: "disable", memberIds, reason: "Regrant test" });
  await caller.lifecycle.run({ action: "enable", memberIds });
  const adminAll = await createCatalogItem(db(), { tenantId: scene.tenant.id, memberId: owner.id }, { kind: "policy", name: "Everything", permission: "members:*" });
  const otherApp = await createCatalogItem(db(), { tenantId: scene.tenant.id, memberId: owner.id }, { kind: "application", name: "Vault" });
  const stepUp = () => caller.auth.stepUp({ method: "password", secret: TEST_PASSWORD });
  const makeStale = () => db().session.update({ where: { id: sessionId }, data: { steppedUpAt: new Date(Date.now() - SIX_MINUTES) } });
  return { ...scene, caller, member, adminAll, otherApp, stepUp, makeStale };
}

const refusalOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as { code: string; message: string; cause: unknown });

describe("granting back what the last receipt revoked", () => {
  it("refuses a policy or application the receipt did not revoke, whether the session stepped up or not, and grants nothing", async () => {
    const { caller, member, items, adminAll, otherApp, stepUp, makeStale } = await regrantScene();
    const memberId = member.id.toString();
    const withPolicy = { memberId, applicationIds: [], policyIds: [items.policy.id.toString(), adminAll.id.toString()] };
    const withApp = { memberId, applicationIds: [otherApp.id.toString()], policyIds: [] };

    for (const proved of [false, true]) {
      if (proved) await stepUp();
      else await makeStale();
      const policyRefusal = await refusalOf(caller.lifecycle.regrant(withPolicy));
      expect(policyRefusal).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Only policies the member's last disable or resignation revoked/) as unknown });
      expect(policyRefusal?.cause).not.toBeInstanceOf(StepUpRequiredError);
      expect(await refusalOf(caller.lifecycle.regrant(withApp))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/Only applications/) as unknown });
    }
    expect(await db().memberPolicy.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().memberApplication.count({ where: { userId: member.id } })).toBe(0);
  });

  it("refuses everything for a member no disable or resignation ever revoked", async () => {
    const { caller, items, createMember } = await regrantScene();
    const never = await createMember();
    const refusal = await refusalOf(caller.lifecycle.regrant({ memberId: never.id.toString(), applicationIds: [], policyIds: [items.policy.id.toString()] }));
    expect(refusal).toMatchObject({ code: "BAD_REQUEST" });
    expect(await db().memberPolicy.count({ where: { userId: never.id } })).toBe(0);
  });

  it("grants back the receipt's own policy only after a recent step-up; its applications need none", async () => {
    const { caller, member, items, stepUp, makeStale } = await regrantScene();
    const memberId = member.id.toString();
    await makeStale();
    const refusal = await refusalOf(caller.lifecycle.regrant({ memberId, applicationIds: [], policyIds: [items.policy.id.toString()] }));
    expect(refusal?.cause).toBeInstanceOf(StepUpRequiredError);
    expect(await caller.lifecycle.regrant({ memberId, applicationIds: [items.application.id.toString()], policyIds: [] })).toEqual({ applications: 1, policies: 0 });
    await stepUp();
    expect(await caller.lifecycle.regrant({ memberId, applicationIds: [], policyIds: [items.policy.id.toString()] })).toEqual({ applications: 0, policies: 1 });
  });
});
