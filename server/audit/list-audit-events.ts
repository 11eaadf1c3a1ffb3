import { Prisma } from "@/server/db/generated/client";
import type { TDatabase } from "@/server/db/client";
import { ZAuditListInput, type TAuditListInput } from "@/server/audit/audit-schemas";
import { HIGH_RISK_SQL } from "@/server/audit/high-risk";
import { actorLabel } from "@/server/shared/actor-label";

type TRow = {
  id: bigint;
  action: string;
  target_type: string;
  target_id: bigint;
  target_name: string | null;
  changes: unknown;
  created_at: Date;
  actor_id: bigint | null;
  actor_name: string | null;
  actor_directory_id: bigint | null;
  actor_token_id: bigint | null;
  actor_token_name: string | null;
  actor_directory_name: string | null;
  ip_address: string | null;
  high_risk: boolean;
};

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (character) => `\\${character}`);

/** The tenant's audit trail, newest first, by keyset on the (tenant_id, id) index; names joined in the same query. */
export async function listAuditEvents(db: TDatabase, tenantId: bigint, rawInput: TAuditListInput) {
  return auditEventsPage(db, tenantId, ZAuditListInput.parse(rawInput));
}

/** One page of audit events; a member's timeline is this with the member as target. */
export async function auditEventsPage(
  db: TDatabase,
  tenantId: bigint,
  input: { limit: number; cursor?: string | null; targetType?: string | null; targetId?: bigint; action?: string | null; highRiskOnly?: boolean; eventId?: bigint },
) {
  const conditions = [Prisma.sql`e.tenant_id = ${tenantId}`];
  if (input.eventId !== undefined) conditions.push(Prisma.sql`e.id = ${input.eventId}`);
  if (input.cursor) conditions.push(Prisma.sql`e.id < ${BigInt(input.cursor)}`);
  if (input.targetType) conditions.push(Prisma.sql`e.target_type = ${input.targetType}`);
  if (input.targetId !== undefined) conditions.push(Prisma.sql`e.target_id = ${input.targetId}`);
  if (input.action) conditions.push(Prisma.sql`e.action LIKE ${`${escapeLike(input.action)}%`}`);
  if (input.highRiskOnly) conditions.push(HIGH_RISK_SQL);
  const rows = await db.$queryRaw<TRow[]>`
    SELECT e.id, e.action, e.target_type, e.target_id, e.changes, e.created_at, e.actor_id, e.ip_address,
           a.full_name AS actor_name, e.actor_directory_id, ad.name AS actor_directory_name, e.actor_token_id, tk.name AS actor_token_name, ${HIGH_RISK_SQL} AS high_risk,
           CASE e.target_type WHEN 'member' THEN t.full_name WHEN 'department' THEN d.name END AS target_name
    FROM audit_events e
    LEFT JOIN users a ON a.id = e.actor_id AND a.tenant_id = e.tenant_id
    LEFT JOIN directories ad ON ad.id = e.actor_directory_id AND ad.tenant_id = e.tenant_id
    LEFT JOIN api_tokens tk ON tk.id = e.actor_token_id AND tk.tenant_id = e.tenant_id
    LEFT JOIN users t ON e.target_type = 'member' AND t.id = e.target_id AND t.tenant_id = e.tenant_id
    LEFT JOIN departments d ON e.target_type = 'department' AND d.id = e.target_id AND d.tenant_id = e.tenant_id
    WHERE ${Prisma.join(conditions, " AND ")}
    ORDER BY e.id DESC
    LIMIT ${input.limit + 1}`;
  const page = rows.slice(0, input.limit);
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      action: row.action,
      targetType: row.target_type,
      targetId: row.target_id.toString(),
      targetName: row.target_name,
      changes: row.changes as Record<string, { before: unknown; after: unknown }>,
      at: row.created_at,
      actorName: actorLabel({ actorId: row.actor_id, actorName: row.actor_name, actorDirectoryId: row.actor_directory_id, actorDirectoryName: row.actor_directory_name, actorTokenId: row.actor_token_id, actorTokenName: row.actor_token_name }),
      ipAddress: row.ip_address,
      highRisk: row.high_risk,
    })),
    nextCursor: rows.length > input.limit ? (page.at(-1)?.id.toString() ?? null) : null,
  };
}
