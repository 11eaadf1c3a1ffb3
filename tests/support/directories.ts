import { randomUUID } from "node:crypto";
import { db } from "@/server/db/client";
import { PRESETS, type TAttributeMapping } from "@/server/directories/attribute-mapping";
import { sealBindPassword } from "@/server/directories/load-directory";
import type { TDirectoryInput } from "@/server/directories/directory-schemas";
import type { Directory } from "@/server/db/generated/client";
import { createMember } from "./factories";
import type { TSlapd } from "./slapd";

// Directories made directly with Prisma (the settings form is another slice),
// the bind password sealed as the settings service seals it.

export type TDirectoryOverrides = Partial<{
  name: string;
  baseDn: string;
  userFilter: string;
  departmentSource: "none" | "ou_path" | "attribute";
  departmentAttribute: string | null;
  departmentParentId: bigint | null;
  groupBaseDn: string | null;
  groupFilter: string | null;
  linkExistingBy: "none" | "username" | "email";
  deprovisionAction: "disable" | "resign" | "archive" | "delete";
  reenableReturning: boolean;
  safetyStopPercent: number;
  syncIntervalMinutes: number | null;
  pageSize: number;
  firstSyncApproved: boolean;
  mapping: Partial<TAttributeMapping>;
  signInByBind: boolean;
  startTls: boolean;
  caCertificate: string | null;
}>;

let sequence = 0;

/** An OpenLDAP directory pointing at the test slapd (or nowhere, for tests that never read it). */
export async function createDirectory(tenantId: bigint, slapd: Pick<TSlapd, "url" | "suffix" | "rootDn" | "rootPassword"> | null, overrides: TDirectoryOverrides = {}) {
  const suffix = slapd?.suffix ?? "dc=example,dc=org";
  const directory = await db().directory.create({
    data: {
      tenantId,
      name: overrides.name ?? `Directory ${++sequence}`,
      preset: "openldap",
      url: slapd?.url ?? "ldap://127.0.0.1:1",
      bindDn: slapd?.rootDn ?? `cn=admin,${suffix}`,
      baseDn: overrides.baseDn ?? `ou=people,${suffix}`,
      userFilter: overrides.userFilter ?? PRESETS.openldap.userFilter,
      pageSize: overrides.pageSize ?? 100,
      attributeMapping: { ...PRESETS.openldap.mapping, ...overrides.mapping },
      departmentSource: overrides.departmentSource ?? "none",
      departmentAttribute: overrides.departmentAttribute ?? null,
      departmentParentId: overrides.departmentParentId ?? null,
      groupBaseDn: overrides.groupBaseDn ?? null,
      groupFilter: overrides.groupFilter ?? null,
      linkExistingBy: overrides.linkExistingBy ?? "username",
      deprovisionAction: overrides.deprovisionAction ?? "disable",
      reenableReturning: overrides.reenableReturning ?? true,
      safetyStopPercent: overrides.safetyStopPercent ?? 10,
      syncIntervalMinutes: overrides.syncIntervalMinutes ?? null,
      firstSyncApprovedAt: overrides.firstSyncApproved ? new Date() : null,
      signInByBind: overrides.signInByBind ?? false,
      startTls: overrides.startTls ?? false,
      caCertificate: overrides.caCertificate ?? null,
    },
  });
  return db().directory.update({ where: { id: directory.id }, data: { bindPasswordSealed: sealBindPassword(directory.id, slapd?.rootPassword ?? "unused") } });
}

/** A member the directory manages: no local password unless given (a synced member has none). */
export async function createDirectoryMember(
  directory: Pick<Directory, "id" | "tenantId" | "baseDn">,
  overrides: Parameters<typeof createMember>[1] & { dn?: string } = {},
) {
  const { dn, ...memberOverrides } = overrides;
  const member = await createMember(directory.tenantId, { password: null, ...memberOverrides });
  const directoryDn = dn ?? `uid=${member.username},${directory.baseDn}`;
  await db().user.update({
    where: { id: member.id },
    data: { userDirectoryId: directory.id, directoryEntryId: randomUUID(), directoryDn, source: "ldap" },
  });
  return { ...member, userDirectoryId: directory.id, directoryDn };
}

/** A run row in a given state, for tests about approving and cancelling (no LDAP needed). */
export async function createSyncRun(directory: { id: bigint; tenantId: bigint }, status: string, dryRun = true) {
  return db().directorySyncRun.create({ data: { tenantId: directory.tenantId, directoryId: directory.id, kind: "full", dryRun, status } });
}

/** The settings form's input for a new directory (nothing is contacted until a test or a sync): what the procedures take. */
export function directorySettingsInput(overrides: Partial<TDirectoryInput> = {}): TDirectoryInput {
  return {
    name: `Directory ${Math.random().toString(36).slice(2, 8)}`,
    preset: "openldap",
    url: "ldap://127.0.0.1:1",
    startTls: false,
    caCertificate: null,
    bindDn: "",
    baseDn: "dc=example,dc=org",
    userFilter: PRESETS.openldap.userFilter,
    pageSize: 500,
    syncIntervalMinutes: null,
    attributeMapping: PRESETS.openldap.mapping,
    departmentSource: "none",
    departmentAttribute: null,
    departmentParentId: null,
    groupBaseDn: null,
    groupFilter: null,
    linkExistingBy: "username",
    deprovisionAction: "disable",
    reenableReturning: true,
    safetyStopPercent: 10,
    signInByBind: false,
    ...overrides,
  };
}
