import { z } from "zod";
import { ZEntityId } from "@/server/ids";
import { zLine, zSecret, zText } from "@/server/validation/text";
import { DIRECTORY_PRESETS, ZAttributeMapping } from "@/server/directories/attribute-mapping";
import { isLdapFilter } from "@/server/directories/ldap-filter";

// One schema per input, shared by the directory settings form and the
// procedures. Pure: client components import it.

export const DEPARTMENT_SOURCES = ["none", "ou_path", "attribute"] as const;
export const LINK_EXISTING_BY = ["none", "username", "email"] as const;
export const DEPROVISION_ACTIONS = ["disable", "resign", "archive", "delete"] as const;

/** A CA bundle of a few certificates fits easily; anything bigger is not a certificate. */
export const MAX_CA_CERTIFICATE_CHARACTERS = 20_000;
const MAX_DN = 500;
const MAX_FILTER = 1000;

const LDAP_URL = /^ldaps?:\/\/(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)(?::(\d{1,5}))?\/?$/;

export function isLdapUrl(value: string): boolean {
  const match = LDAP_URL.exec(value);
  if (!match) return false;
  const port = match[2] === undefined ? 389 : Number(match[2]);
  return port >= 1 && port <= 65535;
}

// One RDN: attribute=value, '+' joining multi-valued ones; backslash escapes anything.
const RDN = /^\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)\s*=(\\.|[^\\+])*(\+\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)\s*=(\\.|[^\\+])*)*$/;

/** A distinguished name such as ou=people,dc=example,dc=org (RFC 4514's shape; the directory judges the rest). */
export function isDistinguishedName(value: string): boolean {
  const rdns: string[] = [];
  let current = "";
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    if (char === "\\") {
      current += value.slice(index, index + 2);
      index += 1;
    } else if (char === ",") {
      rdns.push(current);
      current = "";
    } else current += char;
  }
  rdns.push(current);
  return rdns.every((rdn) => RDN.test(rdn) && rdn.trim().length > 2);
}

const nullWhenEmpty = (value: unknown) => (value === "" || value === undefined ? null : value);

const ZDn = zLine().min(1, "Enter a DN, such as dc=example,dc=org").max(MAX_DN, `At most ${MAX_DN} characters`).refine(isDistinguishedName, "A DN, such as ou=people,dc=example,dc=org");
const ZOptionalDn = z.preprocess(nullWhenEmpty, ZDn.nullable());
const ZFilter = zLine().min(1, "Enter a filter, such as (objectClass=inetOrgPerson)").max(MAX_FILTER, `At most ${MAX_FILTER} characters`).refine(isLdapFilter, "An LDAP filter in parentheses, such as (objectClass=inetOrgPerson)");
const ZOptionalFilter = z.preprocess(nullWhenEmpty, ZFilter.nullable());

export const ZDirectoryUrl = zLine()
  .min(1, "Enter the directory's address")
  .max(500, "At most 500 characters")
  .refine(isLdapUrl, "ldap://host:port or ldaps://host:port");

export const ZCaCertificate = z.preprocess(
  nullWhenEmpty,
  zText()
    .max(MAX_CA_CERTIFICATE_CHARACTERS, `At most ${MAX_CA_CERTIFICATE_CHARACTERS} characters`)
    .refine((value) => /^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(value), "Paste the CA certificate in PEM form (-----BEGIN CERTIFICATE----- …)")
    .nullable(),
);

/** Write-only: empty or absent keeps the stored password (on a new directory: none, an anonymous or DN-only bind). */
export const ZBindPassword = z.preprocess((value) => (value === "" || value === null ? undefined : value), zSecret().max(500, "At most 500 characters").optional());

// Active Directory also binds as user@domain (a user principal name).
const ZBindDn = z.preprocess(
  (value) => (value === null || value === undefined ? "" : value),
  zLine()
    .max(MAX_DN, `At most ${MAX_DN} characters`)
    .refine((value) => value === "" || isDistinguishedName(value) || /^[^@\s=,]+@[A-Za-z0-9.-]+$/.test(value), "A DN, such as cn=reader,dc=example,dc=org (or reader@corp.example on Active Directory)"),
);

const ZAttributeName = zLine().max(100, "At most 100 characters").regex(/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)(;[A-Za-z0-9-]+)*$/, "An LDAP attribute name, such as department");

/** What connecting and reading entries needs: the test and the preview take these, saved or not. */
export const connectionFields = {
  url: ZDirectoryUrl,
  startTls: z.boolean(),
  caCertificate: ZCaCertificate,
  bindDn: ZBindDn,
  bindPassword: ZBindPassword,
  baseDn: ZDn,
  userFilter: ZFilter,
  attributeMapping: ZAttributeMapping,
  departmentSource: z.enum(DEPARTMENT_SOURCES),
  departmentAttribute: z.preprocess(nullWhenEmpty, ZAttributeName.nullable()),
};

const settingsFields = {
  name: zLine().min(1, "Enter a name").max(100, "At most 100 characters"),
  preset: z.enum(DIRECTORY_PRESETS),
  ...connectionFields,
  pageSize: z.coerce.number<number>().int("A whole number").min(1, "At least 1").max(5000, "At most 5,000"),
  syncIntervalMinutes: z.preprocess(nullWhenEmpty, z.coerce.number<number>().int("A whole number").min(5, "At least 5 minutes").max(10080, "At most 10,080 minutes (a week)").nullable()),
  departmentParentId: z.preprocess(nullWhenEmpty, ZEntityId("Unknown department").nullable()),
  groupBaseDn: ZOptionalDn,
  groupFilter: ZOptionalFilter,
  linkExistingBy: z.enum(LINK_EXISTING_BY),
  deprovisionAction: z.enum(DEPROVISION_ACTIONS),
  reenableReturning: z.boolean(),
  safetyStopPercent: z.coerce.number<number>().int("A whole number").min(1, "At least 1%").max(100, "At most 100%"),
  signInByBind: z.boolean(),
};

type TCheckable = { url: string; startTls: boolean; departmentSource: string; departmentAttribute: string | null; groupBaseDn?: string | null; groupFilter?: string | null };

function checkConnection(values: TCheckable, context: z.RefinementCtx) {
  if (values.startTls && values.url.toLowerCase().startsWith("ldaps:")) {
    context.addIssue({ code: "custom", path: ["startTls"], message: "StartTLS is for ldap:// addresses; ldaps:// is already encrypted" });
  }
  if (values.departmentSource === "attribute" && !values.departmentAttribute) {
    context.addIssue({ code: "custom", path: ["departmentAttribute"], message: "Enter the attribute that names the department" });
  }
}

function checkSettings(values: TCheckable, context: z.RefinementCtx) {
  checkConnection(values, context);
  if (values.groupFilter && !values.groupBaseDn) context.addIssue({ code: "custom", path: ["groupBaseDn"], message: "Enter where the groups are, or clear the group filter" });
}

export const ZDirectoryInput = z.strictObject(settingsFields).superRefine(checkSettings);
export type TDirectoryInput = z.input<typeof ZDirectoryInput>;
export type TDirectoryValues = z.output<typeof ZDirectoryInput>;

export const ZDirectoryId = z.strictObject({ directoryId: ZEntityId("Unknown directory") });

/** A change states the version of the settings it started from (settingsUpdatedAt): a save over someone else's is refused. */
export const ZDirectoryUpdate = z
  .strictObject({ directoryId: ZEntityId("Unknown directory"), expectedSettingsUpdatedAt: z.date({ error: "Reload the page: the form lacks its version" }), ...settingsFields })
  .superRefine(checkSettings);
export type TDirectoryUpdate = z.input<typeof ZDirectoryUpdate>;

export const ZDirectoryConnection = z.strictObject(connectionFields).superRefine(checkConnection);
export type TDirectoryConnectionInput = z.input<typeof ZDirectoryConnection>;
export type TDirectoryConnection = z.output<typeof ZDirectoryConnection>;

/**
 * Test or preview: the saved directory (directoryId alone, any admin), or
 * unsaved form values (owners only: the server connects wherever they point),
 * with the saved directory's id when editing so an empty password means the stored one.
 */
export const ZDirectoryProbe = z.strictObject({
  directoryId: ZEntityId("Unknown directory").optional(),
  settings: ZDirectoryConnection.optional(),
}).refine((probe) => probe.directoryId !== undefined || probe.settings !== undefined, { message: "Name a directory or give its settings", path: ["settings"] });
export type TDirectoryProbe = z.input<typeof ZDirectoryProbe>;
