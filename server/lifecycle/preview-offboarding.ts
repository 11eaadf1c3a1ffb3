import type { TDatabase } from "@/server/db/client";
import type { TLifecycleActor } from "@/server/lifecycle/member-authority";
import { lockAndSortMembers } from "@/server/lifecycle/load-members";
import { REMOVED_RELATIONS } from "@/server/lifecycle/offboarding-plan";
import { RELATION_KINDS, relationsByMember, relationsOf, type TRelationKind } from "@/server/lifecycle/relations";
import { ZOffboardingPreviewInput } from "@/server/lifecycle/schemas";
import type { z } from "zod";

const DETAILED_MEMBERS = 50;

export type TOffboardingPreview = {
  action: string;
  /** How many members the action would change, and what it would take away in total. */
  affected: number;
  totals: Record<TRelationKind | "sessions", number>;
  members: { memberId: string; username: string; removes: Record<TRelationKind, string[]>; openSessions: number }[];
  refused: { memberId: string; username: string | null; message: string }[];
};

/**
 * Exactly what disable / resign / archive / delete would revoke or remove,
 * computed by the action's own code (relationsOf with the action's plan, in
 * read mode), with the rows locked so what it shows is what was there.
 */
export async function previewOffboarding(db: TDatabase, actor: TLifecycleActor, rawInput: z.input<typeof ZOffboardingPreviewInput>): Promise<TOffboardingPreview> {
  const input = ZOffboardingPreviewInput.parse(rawInput);
  const memberIds = [...new Set(input.memberIds)].map((id) => BigInt(id));
  return db.$transaction(
    async (tx) => {
      const { movers: affected, refused: refusals } = await lockAndSortMembers(tx, actor, input.action, memberIds);
      const refused = refusals.map((refusal) => ({ ...refusal, memberId: refusal.memberId.toString() }));
      const ids = affected.map((member) => member.id);
      const relations = await relationsOf(tx, ids, REMOVED_RELATIONS[input.action] ?? [], "read");
      const relationsOfMember = relationsByMember(relations);
      const sessions = await tx.$queryRaw<{ user_id: bigint; open: number }[]>`
        SELECT user_id, count(*)::int AS open FROM sessions
        WHERE user_id = ANY(${ids}::bigint[]) AND revoked_at IS NULL AND expires_at > now()
        GROUP BY user_id`;
      const openOf = new Map(sessions.map((row) => [row.user_id, row.open]));
      const totals = Object.fromEntries([...RELATION_KINDS.map((kind) => [kind, relations[kind].length]), ["sessions", sessions.reduce((sum, row) => sum + row.open, 0)]]) as TOffboardingPreview["totals"];
      return {
        action: input.action,
        affected: affected.length,
        totals,
        refused,
        members: affected.slice(0, DETAILED_MEMBERS).map((member) => {
          const own = relationsOfMember(member.id);
          const removes = Object.fromEntries(RELATION_KINDS.map((kind) => [kind, own[kind].map((relation) => relation.name)])) as Record<TRelationKind, string[]>;
          return { memberId: member.id.toString(), username: member.username, removes, openSessions: openOf.get(member.id) ?? 0 };
        }),
      };
    },
    { timeout: 60_000 },
  );
}
