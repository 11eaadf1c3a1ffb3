import type { TDatabase, TDatabaseOrTransaction, TTransaction } from "@/server/db/client";
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

async function setMembers(tx: TTransaction, caller: TScimCaller, groupId: bigint, wanted: string[]) {
  const actor = scimServiceActor(caller);
  const found = wanted.length === 0 ? [] : await tx.user.findMany({ where: { tenantId: caller.tenantId, id: { in: wanted.map(BigInt) }, deletedAt: null }, select: { id: true } });
  if (found.length !== wanted.length) {
    const known = new Set(found.map((row) => row.id.toString()));
    throw invalidValue(`members: no user ${wanted.find((id) => !known.has(id))} in this organisation`);
  }
  const current = (await tx.memberGroup.findMany({ where: { groupId }, select: { userId: true } })).map((row) => row.userId.toString());
  const toAdd = wanted.filter((id) => !current.includes(id));
  const toRemove = current.filter((id) => !wanted.includes(id));
  for (let index = 0; index < toAdd.length; index += GRANT_BATCH) {
    await grantToMembers(tx, actor, { kind: "group", itemId: groupId.toString(), memberIds: toAdd.slice(index, index + GRANT_BATCH) });
  }
  for (const memberId of toRemove) await revokeFromMember(tx, actor, { kind: "group", itemId: groupId.toString(), memberId });
  await tx.$executeRaw`
    INSERT INTO scim_group_identities (group_id, tenant_id) VALUES (${groupId}, ${caller.tenantId})
    ON CONFLICT (group_id) DO UPDATE SET updated_at = clock_timestamp()`;
}

async function writeExternalId(tx: TTransaction, caller: TScimCaller, groupId: bigint, externalId: string | null) {
  await tx.$executeRaw`
    INSERT INTO scim_group_identities (group_id, tenant_id, external_id) VALUES (${groupId}, ${caller.tenantId}, ${externalId})
    ON CONFLICT (group_id) DO UPDATE SET external_id = EXCLUDED.external_id, updated_at = clock_timestamp()
    WHERE scim_group_identities.external_id IS DISTINCT FROM EXCLUDED.external_id`;
}

// A group of thousands is granted in batches; concurrent requests on one group queue behind its row lock.
const TRANSACTION_OPTIONS = { timeout: 120_000, maxWait: 20_000 };

/** Locks the group's row first: concurrent requests on one group run in turn, each seeing the last one's version. */
async function lockGroupRow(tx: TTransaction, caller: TScimCaller, id: string): Promise<TScimGroupRow> {
  if (/^\d{1,18}$/.test(id)) await tx.$queryRaw`SELECT id FROM groups WHERE id = ${BigInt(id)} AND tenant_id = ${caller.tenantId} FOR UPDATE`;
  return loadGroupRow(tx, caller.tenantId, id);
}

export async function readScimGroup(db: TDatabaseOrTransaction, caller: TScimCaller, id: string, params: URLSearchParams | null = null) {
  const row = await loadGroupRow(db, caller.tenantId, id);
  const withMembers = !/(^|,)\s*members\s*(,|$)/i.test(params?.get("excludedAttributes") ?? "");
  const members = withMembers ? (await groupMembers(db, [row.id], caller.baseUrl)).get(row.id)! : null;
  const resource = groupResource(row, members, caller.baseUrl);
  const project = params ? projection(params) : null;
  return project ? project(resource) : resource;
}

export async function createScimGroup(db: TDatabase, caller: TScimCaller, body: unknown) {
  const input = groupInput(body);
  return db.$transaction(async (tx) => {
    const item = await createCatalogItem(tx, scimServiceActor(caller), { kind: "group", name: input.displayName });
    await writeExternalId(tx, caller, item.id, input.externalId);
    if (input.members.length > 0) await setMembers(tx, caller, item.id, input.members);
    return readScimGroup(tx, caller, item.id.toString());
  }, TRANSACTION_OPTIONS);
}

/** The group as sent, inside the request's transaction (PUT, and the last step of PATCH). */
async function replaceLocked(tx: TTransaction, caller: TScimCaller, row: TScimGroupRow, body: unknown) {
  const input = groupInput(body);
  if (input.displayName !== row.name) await updateCatalogItem(tx, scimServiceActor(caller), { kind: "group", itemId: row.id.toString(), name: input.displayName });
  await writeExternalId(tx, caller, row.id, input.externalId);
  await setMembers(tx, caller, row.id, input.members);
}

export async function replaceScimGroup(db: TDatabase, caller: TScimCaller, id: string, body: unknown, ifMatch: string | null) {
  return db.$transaction(async (tx) => {
    const row = await lockGroupRow(tx, caller, id);
    assertVersion(groupVersion(row), ifMatch);
    await replaceLocked(tx, caller, row, body);
    return readScimGroup(tx, caller, id);
  }, TRANSACTION_OPTIONS);
}

export async function patchScimGroup(db: TDatabase, caller: TScimCaller, id: string, body: unknown, ifMatch: string | null) {
  return db.$transaction(async (tx) => {
    const row = await lockGroupRow(tx, caller, id);
    assertVersion(groupVersion(row), ifMatch);
    const current = groupResource(row, (await groupMembers(tx, [row.id], caller.baseUrl)).get(row.id)!, caller.baseUrl);
    await replaceLocked(tx, caller, row, applyPatch(current, body, [GROUP_SCHEMA]));
    // RFC 7644 §3.5.2: 204 is allowed; Entra and Okta accept either. The resource, without its members (they can be many).
    return readScimGroup(tx, caller, id, new URLSearchParams({ excludedAttributes: "members" }));
  }, TRANSACTION_OPTIONS);
}

export async function deleteScimGroup(db: TDatabase, caller: TScimCaller, id: string, ifMatch: string | null) {
  await db.$transaction(async (tx) => {
    const row = await lockGroupRow(tx, caller, id);
    assertVersion(groupVersion(row), ifMatch);
    await deleteCatalogItem(tx, scimServiceActor(caller), { kind: "group", itemId: id });
  }, TRANSACTION_OPTIONS);
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
