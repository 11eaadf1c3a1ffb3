import { createHash } from "node:crypto";
import type { TAttributeMapping } from "@/server/provisioning/schemas";

// A member as a SCIM User (RFC 7643 section 4.1, and the enterprise extension
// of section 4.3). Pure. The manager is the head of the member's main
// department (Tenure's model has no manager field; a head is who the member
// reports to), sent only when that head has an account at the same
// application, since SCIM's manager.value is the peer's own id.

export const CORE_USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE_USER_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export type TScimMember = {
  id: bigint;
  username: string;
  email: string | null;
  firstName: string;
  lastName: string;
  fullName: string;
  mobile: string | null;
  landline: string | null;
  title: string | null;
  departmentName: string | null;
  managerRemoteId: string | null;
};

export type TScimUser = Record<string, unknown> & { schemas: string[]; externalId: string; userName: string; active: boolean };

export function scimUserOf(member: TScimMember, mapping: TAttributeMapping, active = true): TScimUser {
  const userName = mapping.userName === "email" && member.email ? member.email : member.username;
  const user: TScimUser = { schemas: [CORE_USER_SCHEMA], externalId: member.id.toString(), userName, active };
  if (mapping.name) {
    user.name = { givenName: member.firstName, familyName: member.lastName, formatted: member.fullName };
    user.displayName = member.fullName;
  }
  if (mapping.emails && member.email) user.emails = [{ value: member.email, type: "work", primary: true }];
  if (mapping.phoneNumbers) {
    const phones = [
      ...(member.mobile ? [{ value: member.mobile, type: "mobile" }] : []),
      ...(member.landline ? [{ value: member.landline, type: "work" }] : []),
    ];
    if (phones.length > 0) user.phoneNumbers = phones;
  }
  if (mapping.title && member.title) user.title = member.title;
  const enterprise: Record<string, unknown> = {};
  if (mapping.department && member.departmentName) enterprise.department = member.departmentName;
  if (mapping.manager && member.managerRemoteId) enterprise.manager = { value: member.managerRemoteId };
  if (Object.keys(enterprise).length > 0) {
    user.schemas.push(ENTERPRISE_USER_SCHEMA);
    user[ENTERPRISE_USER_SCHEMA] = enterprise;
  }
  return user;
}

/** What the peer last accepted, as a short fingerprint: an unchanged member is not sent again. */
export function representationHash(user: TScimUser): string {
  return createHash("sha256").update(JSON.stringify(user)).digest("hex");
}

/**
 * The mapped attributes the member has no value for (cleared in Tenure, or
 * never set), as PATCH paths: a replace cannot empty them (an attribute left
 * out of a replace's value is left alone, RFC 7644 section 3.5.2.3), so each
 * gets a remove. The enterprise ones are named by their full URN.
 */
export function clearedPaths(user: TScimUser, mapping: TAttributeMapping): string[] {
  const enterprise = (user[ENTERPRISE_USER_SCHEMA] ?? {}) as Record<string, unknown>;
  return [
    ...(mapping.emails && user.emails === undefined ? ["emails"] : []),
    ...(mapping.phoneNumbers && user.phoneNumbers === undefined ? ["phoneNumbers"] : []),
    ...(mapping.title && user.title === undefined ? ["title"] : []),
    ...(mapping.department && enterprise.department === undefined ? [`${ENTERPRISE_USER_SCHEMA}:department`] : []),
    ...(mapping.manager && enterprise.manager === undefined ? [`${ENTERPRISE_USER_SCHEMA}:manager`] : []),
  ];
}

type TPatchOperation = { op: "replace"; value: Record<string, unknown> } | { op: "remove"; path: string };

/** The PATCH that brings an existing account to `user`: a replace of every attribute it has, a remove of each cleared one. */
export function replacePatch(user: TScimUser, cleared: string[] = []): { schemas: string[]; Operations: TPatchOperation[] } {
  const { schemas: _schemas, ...value } = user;
  return { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: "replace", value }, ...cleared.map((path) => ({ op: "remove" as const, path }))] };
}

export const deactivatePatch = () => ({ schemas: [PATCH_OP_SCHEMA], Operations: [{ op: "replace" as const, value: { active: false } }] });
