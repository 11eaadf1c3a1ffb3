import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { lifecycleScene } from "../support/lifecycle";

describe("the audit trail", () => {
  it("lists the tenant's events newest first, page by page, with names, filters and the high-risk flag", async () => {
    const scene = await lifecycleScene();
    const member = await scene.createMember();
    await runLifecycleAction(db(), scene.actor, { action: "lock", memberIds: [member.id.toString()], reason: "Audit test" });
    const other = await createTenant();
    const stranger = await createMember(other.id);
    await db().auditEvent.create({ data: { tenantId: other.id, actorId: null, action: "member.lock", targetType: "member", targetId: stranger.id } });

    const { sessionId } = await createSignedInMember(scene.tenant.id, { role: "admin" });
    const caller = createCaller(await createContextForSessionId(sessionId));
    const first = await caller.audit.list({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.items[0]).toMatchObject({ action: "member.lock", targetName: member.fullName, highRisk: true, actorName: scene.admin.fullName });
    const everything = [...first.items];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await caller.audit.list({ limit: 2, cursor });
      everything.push(...page.items);
      cursor = page.nextCursor;
    }
    const ids = everything.map((event) => BigInt(event.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
    expect(everything.map((event) => event.targetId)).not.toContain(stranger.id.toString());

    const risky = await caller.audit.list({ highRiskOnly: true });
    expect(risky.items.every((event) => event.highRisk)).toBe(true);
    expect(risky.items.map((event) => event.action)).toContain("member.lock");
    expect(risky.items.map((event) => event.action)).not.toContain("role.created");
    const departments = await caller.audit.list({ targetType: "role" });
    expect(departments.items.map((event) => event.action)).toEqual(["role.created"]);
    expect((await caller.audit.list({ action: "member.lo" })).items.map((event) => event.action)).toEqual(["member.lock"]);
    await expect(caller.audit.list({ action: "50%" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("is for admins only", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    const caller = createCaller(await createContextForSessionId(sessionId));
    await expect(caller.audit.list({})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
