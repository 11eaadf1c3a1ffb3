import type { TTransaction } from "@/server/db/client";
import type { Directory } from "@/server/db/generated/client";
import { recordAuditEvents } from "@/server/audit/record-audit-event";
import { signingOutOfLostApplications } from "@/server/access-changes/apply-access-change";
import { loadedDirectory } from "@/server/directories/load-directory";
import { searchPages, withDirectoryConnection } from "@/server/directories/ldap-connection";
import { directoryActor } from "@/server/directories/deprovision-members";
import { mapDirectoryEntry } from "@/server/directories/map-entry";

// LDAP groups (group_base_dn + group_filter) mirrored as Tenure groups, keyed
// by the group entry's stable id, with their members (member / uniqueMember
// DNs, AD's member) kept in step among this directory's members. Roles that
// groups carry follow through the access triggers.

const MEMBER_ATTRIBUTES = ["member", "uniqueMember"];

type TGroupEntry = { entryId: string; name: string; memberDns: string[] };

const valuesOf = (entry: Record<string, unknown>, attribute: string): string[] => {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  const value = key ? entry[key] : undefined;
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((item) => (Buffer.isBuffer(item) ? item.toString("utf8") : String(item)));
};

async function readGroups(directory: Directory): Promise<TGroupEntry[]> {
  const loaded = loadedDirectory(directory);
  const groups: TGroupEntry[] = [];
  await withDirectoryConnection(loaded.connection, async (client) => {
    const pages = searchPages(client, {
      baseDn: directory.groupBaseDn!,
      filter: directory.groupFilter || "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames)(objectClass=group))",
      attributes: [loaded.mapping.entryId, "cn", ...MEMBER_ATTRIBUTES],
      pageSize: directory.pageSize,
      binaryAttributes: loaded.mapping.entryIdFormat === "guid" ? [loaded.mapping.entryId] : [],
    });
    for await (const page of pages) {
      for (const entry of page) {
        const { entryId } = mapDirectoryEntry(entry, loaded.mapping, { source: "none" });
        const name = valuesOf(entry, "cn")[0]?.trim().slice(0, 100);
        if (!entryId || !name) continue;
        groups.push({ entryId, name, memberDns: MEMBER_ATTRIBUTES.flatMap((attribute) => valuesOf(entry, attribute)).map((dn) => dn.toLowerCase()) });
      }
    }
  });
  return groups;
}

/** The group mirroring the entry: found by entry id, else a same-named group no directory mirrors (adopted), else created. */
async function mirrorGroup(tx: TTransaction, directory: Directory, group: TGroupEntry): Promise<bigint | null> {
  const [found] = await tx.$queryRaw<{ id: bigint }[]>`
    UPDATE groups SET name = ${group.name}, updated_at = now()
    WHERE directory_id = ${directory.id} AND directory_entry_id = ${group.entryId}
      AND NOT EXISTS (SELECT 1 FROM groups o WHERE o.tenant_id = ${directory.tenantId} AND lower(o.name) = lower(${group.name}) AND o.directory_entry_id IS DISTINCT FROM ${group.entryId})
    RETURNING id`;
  if (found) return found.id;
  const [kept] = await tx.$queryRaw<{ id: bigint }[]>`SELECT id FROM groups WHERE directory_id = ${directory.id} AND directory_entry_id = ${group.entryId}`;
  if (kept) return kept.id;
  const [adopted] = await tx.$queryRaw<{ id: bigint }[]>`
    UPDATE groups SET directory_id = ${directory.id}, directory_entry_id = ${group.entryId}, updated_at = now()
    WHERE tenant_id = ${directory.tenantId} AND lower(name) = lower(${group.name}) AND directory_id IS NULL
    RETURNING id`;
  if (adopted) return adopted.id;
  const [created] = await tx.$queryRaw<{ id: bigint }[]>`
    INSERT INTO groups (tenant_id, name, directory_id, directory_entry_id) VALUES (${directory.tenantId}, ${group.name}, ${directory.id}, ${group.entryId})
    ON CONFLICT DO NOTHING RETURNING id`;
  return created?.id ?? null;
}

/** Mirrors the directory's groups and memberships at the end of a run (full runs and incremental alike: groups are few). */
export async function syncGroups(tx: TTransaction, directory: Directory): Promise<void> {
  if (!directory.groupBaseDn) return;
  const groups = await readGroups(directory);
  const actor = directoryActor(directory);
  for (const group of groups) {
    const groupId = await mirrorGroup(tx, directory, group);
    // A name another directory's group holds: that group is not taken over.
    if (groupId === null) continue;
    const joined = await tx.$queryRaw<{ user_id: bigint }[]>`
      INSERT INTO member_groups (user_id, group_id)
      SELECT u.id, ${groupId} FROM users u
      WHERE u.tenant_id = ${directory.tenantId} AND u.user_directory_id = ${directory.id} AND lower(u.directory_dn) = ANY(${group.memberDns}::text[])
        AND u.state NOT IN ('archived', 'deleted')
      ON CONFLICT DO NOTHING
      RETURNING user_id`;
    // Leaving a group that carried an application signs the member out of it.
    const left = await signingOutOfLostApplications(
      tx,
      directory.tenantId,
      () => tx.$queryRaw<{ user_id: bigint }[]>`
        DELETE FROM member_groups mg USING users u
        WHERE mg.group_id = ${groupId} AND u.id = mg.user_id AND u.user_directory_id = ${directory.id}
          AND NOT (lower(coalesce(u.directory_dn, '')) = ANY(${group.memberDns}::text[]))
        RETURNING mg.user_id`,
    );
    const named = { id: groupId.toString(), name: group.name };
    await recordAuditEvents(tx, actor, {
      action: "member.group_synced",
      targetType: "member",
      targets: [
        ...joined.map((row) => ({ targetId: row.user_id, changes: { group: { before: null, after: named } } })),
        ...left.map((row) => ({ targetId: row.user_id, changes: { group: { before: named, after: null } } })),
      ],
    });
  }
}
