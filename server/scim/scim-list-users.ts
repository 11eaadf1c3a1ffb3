import { createHash } from "node:crypto";
import type { TDatabase } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import type { TScimCaller } from "@/server/scim/scim-actor";
import { listResponse } from "@/server/scim/scim-discovery";
import { listQuery, projection } from "@/server/scim/scim-list";
import { userAttributeResolver } from "@/server/scim/scim-user-attributes";
import { USER_FROM, USER_SELECT, USER_VISIBLE, userResource, type TScimUserRow } from "@/server/scim/scim-user-resource";
import { USER_SORT_COLUMNS } from "@/server/scim/scim-users";

// GET /Users with RFC 7644's startIndex, without OFFSET's cost when a client
// pages through in order (Entra, Okta and the bench page 1, 1+n, 1+2n…): the
// end of each served page is remembered per token and query, and the
// request for the startIndex that follows continues by keyset (id > last).
// Members added meanwhile come after (ids grow), and one removed from a page
// already served shifts nothing, so a sequential walk sees every member that
// stayed exactly once. Any other startIndex, or a sortBy other than id,
// falls back to OFFSET. A continued page also answers the totalResults its
// walk's first page counted: counting every match again on each page scans
// the tenant's members per page (a member added mid-walk shows in the count
// of the next walk, and in this walk's last page all the same).

const POSITION_TTL = Prisma.sql`interval '1 hour'`;

/** One key per query whose pages continue each other: the filter and the order, not the page. */
function queryKeyOf(params: URLSearchParams): string | null {
  const sortBy = params.get("sortBy");
  if (sortBy && sortBy.trim().toLowerCase() !== "id") return null;
  const descending = (params.get("sortOrder") ?? "ascending").toLowerCase() === "descending";
  if (descending) return null;
  return createHash("sha256").update(JSON.stringify([params.get("filter") ?? ""])).digest("hex");
}

type TPosition = { lastId: bigint; total: bigint | null };

async function positionAt(db: TDatabase, caller: TScimCaller, queryKey: string, startIndex: number): Promise<TPosition | null> {
  const [row] = await db.$queryRaw<{ last_id: bigint; total: bigint | null }[]>`
    SELECT last_id, total FROM scim_list_positions
    WHERE api_token_id = ${caller.tokenId} AND query_key = ${queryKey} AND next_index = ${startIndex} AND created_at > now() - ${POSITION_TTL}`;
  return row ? { lastId: row.last_id, total: row.total } : null;
}

async function rememberPosition(db: TDatabase, caller: TScimCaller, queryKey: string, nextIndex: number, lastId: bigint, total: bigint): Promise<void> {
  await db.$executeRaw`
    INSERT INTO scim_list_positions (api_token_id, query_key, next_index, last_id, total) VALUES (${caller.tokenId}, ${queryKey}, ${nextIndex}, ${lastId}, ${total})
    ON CONFLICT (api_token_id, query_key, next_index) DO UPDATE SET last_id = EXCLUDED.last_id, total = EXCLUDED.total, created_at = CURRENT_TIMESTAMP`;
  await db.$executeRaw`DELETE FROM scim_list_positions WHERE api_token_id = ${caller.tokenId} AND created_at < now() - ${POSITION_TTL}`;
}

async function countMatches(db: TDatabase, caller: TScimCaller, where: Prisma.Sql): Promise<bigint> {
  const [row] = await db.$queryRaw<{ total: bigint }[]>`
    SELECT count(*) AS total FROM ${USER_FROM} WHERE u.tenant_id = ${caller.tenantId} AND ${USER_VISIBLE} AND ${where}`;
  return row?.total ?? 0n;
}

export async function listScimUsers(db: TDatabase, caller: TScimCaller, params: URLSearchParams) {
  const query = listQuery(params, userAttributeResolver(caller.tenantId), { ...USER_SORT_COLUMNS, id: USER_SORT_COLUMNS.id! });
  const queryKey = queryKeyOf(params);
  const position = queryKey && query.startIndex > 1 ? await positionAt(db, caller, queryKey, query.startIndex) : null;
  const after = position?.lastId ?? null;
  const total = position?.total ?? (await countMatches(db, caller, query.where));
  const rows =
    query.count === 0
      ? []
      : after !== null
        ? await db.$queryRaw<TScimUserRow[]>`
            SELECT ${USER_SELECT} FROM ${USER_FROM} WHERE u.tenant_id = ${caller.tenantId} AND ${USER_VISIBLE} AND ${query.where} AND u.id > ${after}
            ORDER BY u.id ASC LIMIT ${query.count}`
        : await db.$queryRaw<TScimUserRow[]>`
            SELECT ${USER_SELECT} FROM ${USER_FROM} WHERE u.tenant_id = ${caller.tenantId} AND ${USER_VISIBLE} AND ${query.where}
            ${query.orderBy} LIMIT ${query.count} OFFSET ${query.startIndex - 1}`;
  if (queryKey && rows.length > 0) await rememberPosition(db, caller, queryKey, query.startIndex + rows.length, rows.at(-1)!.id, total);
  const project = projection(params);
  const resources = rows.map((row) => userResource(row, caller.baseUrl));
  return listResponse(project ? resources.map(project) : resources, Number(total), query.startIndex);
}
