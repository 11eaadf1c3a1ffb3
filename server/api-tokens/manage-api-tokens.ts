import type { TDatabase } from "@/server/db/client";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ConflictError, ForbiddenError, NotFoundError, violatedUniqueIndex } from "@/server/errors";
import type { TActor } from "@/server/shared/actor";
import { newRandomSecret, secretHash, secretHint } from "@/server/shared/random-secret";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { ZApiTokenCreate, ZApiTokenId, type TApiTokenScope } from "@/server/api-tokens/api-token-schemas";
import type { z } from "zod";

// An API token lets a system outside create, change and deprovision members:
// owners make them, after a step-up; the token is shown once and only its hash
// is kept. Any admin may revoke one at once (revoking only takes access away).

export const API_TOKEN_PREFIX = "tnr_at_";
/** More live tokens than any organisation's integrations need; keeps the list one page. */
export const MAX_LIVE_TOKENS = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const NAME_TAKEN = "Another live token has this name";

export type TApiTokenActor = TActor & TStepUpSession & { sysAdmin: number };

export type TApiTokenSummary = {
  id: string;
  name: string;
  scopes: TApiTokenScope[];
  hint: string;
  createdAt: Date;
  createdByName: string | null;
  expiresAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  lastUsedAddress: string | null;
  status: "live" | "expired" | "revoked";
};

export async function listApiTokens(db: TDatabase, tenantId: bigint, now = new Date()): Promise<TApiTokenSummary[]> {
  const rows = await db.apiToken.findMany({
    where: { tenantId },
    orderBy: [{ revokedAt: { sort: "desc", nulls: "first" } }, { id: "desc" }],
    take: 200,
    include: { creator: { select: { fullName: true } } },
  });
  return rows.map((row) => ({
    id: row.id.toString(),
    name: row.name,
    scopes: row.scopes as TApiTokenScope[],
    hint: row.hint,
    createdAt: row.createdAt,
    createdByName: row.creator?.fullName ?? null,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
    lastUsedAddress: row.lastUsedAddress,
    status: row.revokedAt ? "revoked" : row.expiresAt <= now ? "expired" : "live",
  }));
}

/** Makes a token; the only time its value is ever returned. */
export async function createApiToken(
  db: TDatabase,
  actor: TApiTokenActor,
  raw: z.input<typeof ZApiTokenCreate>,
  now = new Date(),
): Promise<{ id: string; token: string; expiresAt: Date }> {
  const input = ZApiTokenCreate.parse(raw);
  if (actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only owners may create API tokens");
  await assertStepUp(db, actor, "api_tokens.create");
  const token = newRandomSecret(API_TOKEN_PREFIX);
  const expiresAt = new Date(now.getTime() + input.expiresInDays * DAY_MS);
  try {
    return await db.$transaction(async (tx) => {
      // One creation at a time per organisation, so the cap holds under a burst.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`api-tokens:${actor.tenantId}`}, 0))`;
      const live = await tx.apiToken.count({ where: { tenantId: actor.tenantId, revokedAt: null, expiresAt: { gt: now } } });
      if (live >= MAX_LIVE_TOKENS) throw new ConflictError(`At most ${MAX_LIVE_TOKENS} live API tokens: revoke one you no longer use`);
      const row = await tx.apiToken.create({
        data: {
          tenantId: actor.tenantId,
          name: input.name,
          scopes: input.scopes,
          tokenHash: secretHash(token),
          hint: secretHint(token),
          createdBy: actor.memberId,
          createdAt: now,
          expiresAt,
        },
      });
      await recordAuditEvent(tx, actor, {
        action: "api_token.created",
        targetType: "api_token",
        targetId: row.id,
        changes: { name: { before: null, after: input.name }, scopes: { before: null, after: input.scopes }, expiresAt: { before: null, after: expiresAt.toISOString() } },
      });
      return { id: row.id.toString(), token, expiresAt };
    });
  } catch (error) {
    if (violatedUniqueIndex(error) === "api_tokens_live_name_key") throw new ConflictError(NAME_TAKEN, { name: [NAME_TAKEN] });
    throw error;
  }
}

/** Revokes a live token: its next request is refused. Revoking a revoked token changes nothing. */
export async function revokeApiToken(db: TDatabase, actor: TActor & { sysAdmin: number }, raw: z.input<typeof ZApiTokenId>, now = new Date()): Promise<{ revoked: boolean }> {
  const { tokenId } = ZApiTokenId.parse(raw);
  if (actor.sysAdmin < SYSTEM_ROLE.admin) throw new ForbiddenError("Only admins may revoke API tokens");
  return db.$transaction(async (tx) => {
    const token = await tx.apiToken.findFirst({ where: { id: BigInt(tokenId), tenantId: actor.tenantId }, select: { id: true, name: true } });
    if (!token) throw new NotFoundError("Unknown API token");
    const { count } = await tx.apiToken.updateMany({ where: { id: token.id, revokedAt: null }, data: { revokedAt: now, revokedBy: actor.memberId } });
    if (count === 0) return { revoked: false };
    await recordAuditEvent(tx, actor, { action: "api_token.revoked", targetType: "api_token", targetId: token.id, changes: { name: { before: token.name, after: token.name } } });
    return { revoked: true };
  });
}
