import { randomUUID } from "node:crypto";
import { db } from "@/server/db/client";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { sealBindPassword } from "@/server/directories/load-directory";
import type { Directory } from "@/server/db/generated/client";
import { createMember } from "./factories";

// Directories and the members they manage, made directly with Prisma (the
// settings pages and the sync are other slices): enough for the lifecycle,
// managed-field and sign-in tests.

export type TDirectoryOverrides = Partial<
  Pick<Directory, "name" | "url" | "bindDn" | "baseDn" | "deprovisionAction" | "reenableReturning" | "signInByBind" | "caCertificate" | "startTls">
> & { bindPassword?: string };

export async function createDirectory(tenantId: bigint, overrides: TDirectoryOverrides = {}): Promise<Directory> {
  const { bindPassword, ...columns } = overrides;
  const preset = PRESETS.openldap;
  const row = await db().directory.create({
    data: {
      tenantId,
      name: `Directory ${randomUUID().slice(0, 8)}`,
      preset: "openldap",
      url: "ldap://127.0.0.1:1",
      baseDn: "dc=example,dc=org",
      userFilter: preset.userFilter,
      attributeMapping: preset.mapping,
      ...columns,
    },
  });
  if (bindPassword === undefined) return row;
  return db().directory.update({ where: { id: row.id }, data: { bindPasswordSealed: sealBindPassword(row.id, bindPassword) } });
}

/** A member the directory manages: no local password unless given (a synced member has none). */
export async function createDirectoryMember(
  directory: Pick<Directory, "id" | "tenantId" | "baseDn">,
  overrides: Parameters<typeof createMember>[1] & { dn?: string } = {},
) {
  const { dn, ...memberOverrides } = overrides;
  const member = await createMember(directory.tenantId, { password: null, ...memberOverrides });
  const directoryDn = dn ?? `uid=${member.username},ou=people,${directory.baseDn}`;
  await db().user.update({
    where: { id: member.id },
    data: { userDirectoryId: directory.id, directoryEntryId: randomUUID(), directoryDn, source: "ldap" },
  });
  return { ...member, userDirectoryId: directory.id, directoryDn };
}
