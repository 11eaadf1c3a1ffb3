import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { checkSession, createSession } from "@/server/auth/sessions";
import { canSignIn } from "@/server/auth/can-sign-in";
import { listMembers } from "@/server/members/list-members";
import { grantToMembers } from "@/server/access/grant-access";
import { DomainError } from "@/server/errors";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { grantRefusal, isAllowed, LIFECYCLE_ACTIONS, type TLifecycleAction, type TMemberState } from "@/server/shared/member-states";
import { lifecycleScene, relationCounts } from "../support/lifecycle";

// Random sequences of lifecycle actions, grants and sign-ins on a few members
// never reach a state that breaks an invariant of the specification.

const MEMBERS = 3;

type TStep =
  | { kind: "action"; action: TLifecycleAction; member: number; lockEnds: boolean }
  | { kind: "grant"; member: number }
  | { kind: "signIn"; member: number };

const stepArbitrary: fc.Arbitrary<TStep> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("action" as const), action: fc.constantFrom(...LIFECYCLE_ACTIONS), member: fc.nat(MEMBERS - 1), lockEnds: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("grant" as const), member: fc.nat(MEMBERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("signIn" as const), member: fc.nat(MEMBERS - 1) }) },
);

async function liveSessions(memberId: bigint): Promise<number> {
  const sessions = await db().session.findMany({ where: { userId: memberId }, select: { id: true } });
  const checks = await Promise.all(sessions.map((session) => checkSession(db(), session.id)));
  return checks.filter((check) => check.live).length;
}

async function assertInvariants(tenantId: bigint, memberId: bigint, departedId: bigint): Promise<void> {
  const row = await db().user.findUniqueOrThrow({ where: { id: memberId }, include: { departments: true } });
  const state = row.state as TMemberState;
  const relations = await relationCounts(memberId);
  const label = `member in state ${state}`;
  expect(row.enabled, label).toBe(["pending", "active", "locked"].includes(state));
  expect(row.locked, label).toBe(state === "locked");
  expect(row.deletedAt !== null, label).toBe(state === "deleted");
  if (!canSignIn(row)) expect(await liveSessions(memberId), label).toBe(0);
  if (["disabled", "resigned", "archived", "deleted"].includes(state)) {
    expect(relations.applications + relations.policies, `${label}: no authorisations`).toBe(0);
  }
  if (state === "archived" || state === "deleted") {
    expect(relations, `${label}: no relations`).toEqual({ departments: 0, applications: 0, policies: 0, roles: 0, groups: 0 });
  }
  if (state === "resigned") expect(row.departments.map((membership) => membership.departmentId), label).toEqual([departedId]);
  const listed = new Set<string>();
  for (const status of [undefined, "archived"] as const) {
    for (const item of (await listMembers(db(), tenantId, { limit: 200, status })).items) listed.add(item.id);
  }
  expect(listed.has(memberId.toString()), `${label}: listed`).toBe(state !== "deleted");
}

describe("lifecycle invariants (property test)", () => {
  it("hold after any sequence of actions, and each transition writes exactly one audit event", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 5, maxLength: 25 }), async (steps) => {
        const scene = await lifecycleScene();
        const members = await Promise.all(Array.from({ length: MEMBERS }, () => scene.newMember().then(({ member }) => member)));
        const departed = await db().department.findFirstOrThrow({ where: { tenantId: scene.tenant.id, kind: "departed" } });
        for (const step of steps) {
          const member = members[step.member]!;
          const before = (await db().user.findUniqueOrThrow({ where: { id: member.id } })).state as TMemberState;
          const eventsBefore = await db().auditEvent.count({ where: { targetType: "member", targetId: member.id } });
          if (step.kind === "grant") {
            await grantToMembers(db(), scene.actor, { kind: "application", itemId: scene.items.application.id.toString(), memberIds: [member.id.toString()] }).catch((error: unknown) => {
              if (!grantRefusal("application", before)) throw error;
            });
          } else if (step.kind === "signIn") {
            const row = await db().user.findUniqueOrThrow({ where: { id: member.id } });
            if (canSignIn(row)) await createSession(db(), { tenantId: scene.tenant.id, userId: member.id });
          } else {
            const input = { action: step.action, memberIds: [member.id.toString()], reason: "property test", ...(step.action === "lock" && step.lockEnds ? { lockEndDate: new Date(Date.now() + 3_600_000) } : {}) };
            const { reason, ...withoutReason } = input;
            const outcome = await runLifecycleAction(db(), scene.actor, (["lock", "disable", "resign"].includes(step.action) ? input : withoutReason) as never).catch((error: unknown) => {
              if (error instanceof DomainError) return null;
              throw error;
            });
            void reason;
            const after = (await db().user.findUniqueOrThrow({ where: { id: member.id } })).state;
            const eventsAfter = await db().auditEvent.count({ where: { targetType: "member", targetId: member.id } });
            expect(outcome !== null, `${step.action} from ${before}`).toBe(isAllowed(step.action, before));
            expect(eventsAfter - eventsBefore, `${step.action} from ${before}: audit events`).toBe(outcome ? 1 : 0);
            if (!outcome) expect(after).toBe(before);
          }
          for (const each of members) await assertInvariants(scene.tenant.id, each.id, departed.id);
        }
      }),
      { numRuns: 12, seed: Number(process.env.PROPERTY_SEED ?? Date.now() % 2_147_483_647) },
    );
  }, 180_000);
});
