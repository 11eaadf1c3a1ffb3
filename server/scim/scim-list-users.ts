import type { TDatabase } from "@/server/db/client";
import type { TScimCaller } from "@/server/scim/scim-actor";
import { listResponse } from "@/server/scim/scim-discovery";
import { listQuery, projection } from "@/server/scim/scim-list";
import { userAttributeResolver } from "@/server/scim/scim-user-attributes";
import { USER_FROM, USER_SELECT, USER_VISIBLE, userResource, type TScimUserRow } from "@/server/scim/scim-user-resource";
import { USER_SORT_COLUMNS } from "@/server/scim/scim-users";

export async function listScimUsers(db: TDatabase, caller: TScimCaller, params: URLSearchParams) {
  const query = listQuery(params, userAttributeResolver(caller.tenantId), { ...USER_SORT_COLUMNS, id: USER_SORT_COLUMNS.id! });
  const [{ total }] = await db.$queryRaw<{ total: bigint }[]>`
    SELECT count(*) AS total FROM ${USER_FROM} WHERE u.tenant_id = ${caller.tenantId} AND ${USER_VISIBLE} AND ${query.where}` as [{ total: bigint }];
  const rows =
    query.count === 0
      ? []
      : await db.$queryRaw<TScimUserRow[]>`
          SELECT ${USER_SELECT} FROM ${USER_FROM} WHERE u.tenant_id = ${caller.tenantId} AND ${USER_VISIBLE} AND ${query.where}
          ${query.orderBy} LIMIT ${query.count} OFFSET ${query.startIndex - 1}`;
  const project = projection(params);
  const resources = rows.map((row) => userResource(row, caller.baseUrl));
  return listResponse(project ? resources.map(project) : resources, Number(total), query.startIndex);
}
