import type { TDatabase } from "@/server/db/client";
import { createCatalogItem, deleteCatalogItem, updateCatalogItem } from "@/server/access/manage-catalog";
import { grantToMembers, revokeFromMember } from "@/server/access/grant-access";
import { scimServiceActor, type TScimCaller } from "@/server/scim/scim-actor";
import { listResponse } from "@/server/scim/scim-discovery";
import { invalidValue } from "@/server/scim/scim-errors";
import { listQuery, projection } from "@/server/scim/scim-list";
import { applyPatch, keyOf } from "@/server/scim/scim-patch";
import { assertVersion } from "@/server/scim/scim-users";
import {
  GROUP_FROM, GROUP_SCHEMA, GROUP_SELECT, GROUP_SORT_COLUMNS, groupAttributeResolver, groupMembers, groupResource, groupVersion, loadGroupRow, type TScimGroupRow,
} from "@/server/scim/scim-group-resource";

// Groups: Tenure's groups, their members granted and revoked through the
// access service (audit events, effective access recomputed), attributed to the token.

const GRANT_BATCH = 1_000;
type TJson = Record<string, unknown>;
const isObject = (value: unknown): value is TJson => typeof value === "object" && value !== null && !Array.isArray(value);

function groupInput(body: unknown) {
  if (!isObject(body)) throw invalidValue("A Group is a JSON object");
  const displayName = body[keyOf(body, "displayName")];
  if (typeof displayName !== "string" || displayName.trim() === "") throw invalidValue("displayName is required");
  if (displayName.trim().length > 100) throw invalidValue("displayName: at most 100 characters");
  const externalId = body[keyOf(body, "externalId")];
  const rawMembers = body[keyOf(body, "members")];
  if (rawMembers !== undefined && rawMembers !== null && !Array.isArray(rawMembers)) throw invalidValue("members is an array");
  const members = ((rawMembers ?? []) as unknown[]).map((member) => {
    const value = isObject(member) ? member[keyOf(member, "value")] : member;
    if (typeof value !== "string" || !/^\d{1,18}$/.test(value)) throw invalidValue(`members: ${String(value).slice(0, 40)} is not a user id of this organisation`);
    return value;
  });
  return { displayName: displayName.trim(), externalId: typeof externalId === "string" && externalId !== "" ? externalId.slice(0, 200) : null, members: [...new Set(members)] };
}

async function setMembers(db: TDatabase, caller: TScimCaller, groupId: bigint, wanted: string[]) {
  const actor = scimServiceActor(caller);
  const found = wanted.length === 0 ? [] : await db.user.findMany({ where: { tenantId: caller.tenantId, id: { in: wanted.map(BigInt) }, deletedAt: null }, select: { id: true } });
  if (found.length !== wanted.length) {
    const known = new Set(found.map((row) => row.id.toString()));
    throw invalidValue(`members: no user ${wanted.find((id) => !known.has(id))} in this organisation`);
  }
  const current = (await db.memberGroup.findMany({ where: { groupId }, select: { userId: true } })).map((row) => row.userId.toString());
  const toAdd = wanted.filter((id) => !current.includes(id));
  const toRemove = current.filter((id) => !wanted.includes(id));
  for (let index = 0; index < toAdd.length; index += GRANT_BATCH) {
    await grantToMembers(db, actor, { kind: "group", itemId: groupId.toString(), memberIds: toAdd.slice(index, index + GRANT_BATCH) });
  }
  for (const memberId of toRemove) await revokeFromMember(db, actor, { kind: "group", itemId: groupId.toString(), memberId });
  await db.$executeRaw`
    INSERT INTO scim_group_identities (group_id, tenant_id) VALUES (${groupId}, ${caller.tenantId})
    ON CONFLICT (group_id) DO UPDATE SET updated_at = CURRENT_TIMESTAMP`;
}

async function writeExternalId(db: TDatabase, caller: TScimCaller, groupId: bigint, externalId: string | null) {
  await db.$executeRaw`
    INSERT INTO scim_group_identities (group_id, tenant_id, external_id) VALUES (${groupId}, ${caller.tenantId}, ${externalId})
    ON CONFLICT (group_id) DO UPDATE SET external_id = EXCLUDED.external_id, updated_at = CURRENT_TIMESTAMP
    WHERE scim_group_identities.external_id IS DISTINCT FROM EXCLUDED.external_id`;
}

export async function readScimGroup(db: TDatabase, caller: TScimCaller, id: string, params: URLSearchParams | null = null) {
  const row = await loadGroupRow(db, caller.tenantId, id);
  const withMembers = !/(^|,)\s*members\s*(,|$)/i.test(params?.get("excludedAttributes") ?? "");
  const members = withMembers ? (await groupMembers(db, [row.id], caller.baseUrl)).get(row.id)! : null;
  const resource = groupResource(row, members, caller.baseUrl);
  const project = params ? projection(params) : null;
  return project ? project(resource) : resource;
}

export async function createScimGroup(db: TDatabase, caller: TScimCaller, body: unknown) {
  const input = groupInput(body);
  const item = await createCatalogItem(db, scimServiceActor(caller), { kind: "group", name: input.displayName });
  await writeExternalId(db, caller, item.id, input.externalId);
  if (input.members.length > 0) await setMembers(db, caller, item.id, input.members);
  return readScimGroup(db, caller, item.id.toString());
}

export async function replaceScimGroup(db: TDatabase, caller: TScimCaller, id: string, body: unknown, ifMatch: string | null, keepMembersWhenAbsent = false) {
  const row = await loadGroupRow(db, caller.tenantId, id);
  assertVersion(groupVersion(row), ifMatch);
  const input = groupInput(body);
  if (input.displayName !== row.name) await updateCatalogItem(db, scimServiceActor(caller), { kind: "group", itemId: id, name: input.displayName });
  await writeExternalId(db, caller, row.id, input.externalId);
  const membersSent = isObject(body) && body[keyOf(body, "members")] !== undefined;
  if (membersSent || !keepMembersWhenAbsent) await setMembers(db, caller, row.id, input.members);
  return readScimGroup(db, caller, id);
}

export async function patchScimGroup(db: TDatabase, caller: TScimCaller, id: string, body: unknown, ifMatch: string | null) {
  const row = await loadGroupRow(db, caller.tenantId, id);
  assertVersion(groupVersion(row), ifMatch);
  const current = groupResource(row, (await groupMembers(db, [row.id], caller.baseUrl)).get(row.id)!, caller.baseUrl);
  const patched = applyPatch(current, body, [GROUP_SCHEMA]);
  await replaceScimGroup(db, caller, id, patched, null);
  // RFC 7644 §3.5.2: 204 is allowed; Entra and Okta accept either. The resource, without its members (they can be many).
  return readScimGroup(db, caller, id, new URLSearchParams({ excludedAttributes: "members" }));
}

export async function deleteScimGroup(db: TDatabase, caller: TScimCaller, id: string, ifMatch: string | null) {
  const row = await loadGroupRow(db, caller.tenantId, id);
  assertVersion(groupVersion(row), ifMatch);
  await deleteCatalogItem(db, scimServiceActor(caller), { kind: "group", itemId: id });
}

export async function listScimGroups(db: TDatabase, caller: TScimCaller, params: URLSearchParams) {
  const query = listQuery(params, groupAttributeResolver(), GROUP_SORT_COLUMNS);
  const [counted] = await db.$queryRaw<{ total: bigint }[]>`SELECT count(*) AS total FROM ${GROUP_FROM} WHERE g.tenant_id = ${caller.tenantId} AND ${query.where}`;
  const rows = query.count === 0 ? [] : await db.$queryRaw<TScimGroupRow[]>`
    SELECT ${GROUP_SELECT} FROM ${GROUP_FROM} WHERE g.tenant_id = ${caller.tenantId} AND ${query.where} ${query.orderBy} LIMIT ${query.count} OFFSET ${query.startIndex - 1}`;
  const withMembers = !/(^|,)\s*members\s*(,|$)/i.test(params.get("excludedAttributes") ?? "");
  const members = withMembers ? await groupMembers(db, rows.map((row) => row.id), caller.baseUrl) : null;
  const project = projection(params);
  const resources = rows.map((row) => groupResource(row, members?.get(row.id) ?? null, caller.baseUrl));
  return listResponse(project ? resources.map(project) : resources, Number(counted?.total ?? 0), query.startIndex);
}
