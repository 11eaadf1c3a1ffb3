import { z } from "zod";
import { zLine } from "@/server/validation/text";

// Which LDAP attribute feeds which member field, per directory. The presets
// are where a mapping starts (OpenLDAP's inetOrgPerson, Active Directory's
// user); every attribute stays editable. A mapped field is managed by the
// directory: read-only in the console, imports and self-service.

// The list lives in server/shared, where the member, import and self-service services read it too.
import { MANAGED_FIELDS, type TManagedField } from "@/server/shared/managed-field-names";
export { MANAGED_FIELDS, type TManagedField };

/** How a directory says an account is disabled. */
export const DISABLED_SIGNALS = ["none", "user_account_control", "attribute_present"] as const;
/** What orders changes for the incremental sync: a generalized time (modifyTimestamp, AD's whenChanged), or AD's update sequence number. */
export const CHANGE_MARKS = ["modifyTimestamp", "whenChanged", "uSNChanged"] as const;
/** A username as LDAP gives it, or only the part before "@" (AD's userPrincipalName: usernames hold no "@"). */
export const USERNAME_FORMATS = ["as_is", "local_part"] as const;
/** How the entry's stable id is read: a text attribute (entryUUID) or AD's binary objectGUID. */
export const ENTRY_ID_FORMATS = ["text", "guid"] as const;

// Attribute descriptions (RFC 4512): a name or an OID, options after ';'.
const ZAttributeName = zLine()
  .min(1, "Enter an attribute name")
  .max(100, "At most 100 characters")
  .regex(/^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)(;[A-Za-z0-9-]+)*$/, "An LDAP attribute name, such as mail");
const ZOptionalAttribute = z.preprocess((value) => (value === "" ? null : value), ZAttributeName.nullable());

export const ZAttributeMapping = z.strictObject({
  entryId: ZAttributeName,
  entryIdFormat: z.enum(ENTRY_ID_FORMATS),
  username: ZAttributeName,
  usernameFormat: z.enum(USERNAME_FORMATS).default("as_is"),
  email: ZOptionalAttribute,
  firstName: ZOptionalAttribute,
  lastName: ZOptionalAttribute,
  fullName: ZOptionalAttribute,
  mobile: ZOptionalAttribute,
  title: ZOptionalAttribute,
  landline: ZOptionalAttribute,
  address: ZOptionalAttribute,
  country: ZOptionalAttribute,
  gender: ZOptionalAttribute,
  disabledSignal: z.enum(DISABLED_SIGNALS),
  /** The attribute read by the disabled signal (userAccountControl, or e.g. pwdAccountLockedTime). */
  disabledAttribute: ZOptionalAttribute,
  changeMark: z.enum(CHANGE_MARKS),
});
export type TAttributeMapping = z.output<typeof ZAttributeMapping>;

export const DIRECTORY_PRESETS = ["openldap", "active_directory"] as const;
export type TDirectoryPreset = (typeof DIRECTORY_PRESETS)[number];

export type TPresetDefaults = {
  mapping: TAttributeMapping;
  userFilter: string;
  groupFilter: string;
  departmentAttribute: string;
};

export const PRESETS: Record<TDirectoryPreset, TPresetDefaults> = {
  openldap: {
    mapping: {
      entryId: "entryUUID",
      entryIdFormat: "text",
      username: "uid",
      usernameFormat: "as_is",
      email: "mail",
      firstName: "givenName",
      lastName: "sn",
      fullName: "cn",
      mobile: "mobile",
      title: "title",
      landline: "telephoneNumber",
      address: "postalAddress",
      country: null,
      gender: null,
      disabledSignal: "attribute_present",
      disabledAttribute: "pwdAccountLockedTime",
      changeMark: "modifyTimestamp",
    },
    userFilter: "(objectClass=inetOrgPerson)",
    groupFilter: "(|(objectClass=groupOfNames)(objectClass=groupOfUniqueNames))",
    departmentAttribute: "departmentNumber",
  },
  active_directory: {
    mapping: {
      entryId: "objectGUID",
      entryIdFormat: "guid",
      username: "sAMAccountName",
      usernameFormat: "as_is",
      email: "mail",
      firstName: "givenName",
      lastName: "sn",
      fullName: "displayName",
      mobile: "mobile",
      title: "title",
      landline: "telephoneNumber",
      address: "streetAddress",
      country: "c",
      gender: null,
      disabledSignal: "user_account_control",
      disabledAttribute: "userAccountControl",
      changeMark: "uSNChanged",
    },
    userFilter: "(&(objectCategory=person)(objectClass=user))",
    groupFilter: "(objectClass=group)",
    departmentAttribute: "department",
  },
};

/** The member fields this mapping fills: the directory manages them. */
export function managedFields(mapping: TAttributeMapping): TManagedField[] {
  return MANAGED_FIELDS.filter((field) => mapping[field] !== null);
}

/** The attributes a search must ask for to map an entry (operational ones are not sent unless asked). */
export function requestedAttributes(mapping: TAttributeMapping, departmentAttribute: string | null): string[] {
  const names = [mapping.entryId, mapping.changeMark, ...MANAGED_FIELDS.map((field) => mapping[field]), mapping.disabledSignal === "none" ? null : mapping.disabledAttribute, departmentAttribute];
  return [...new Set(names.filter((name): name is string => typeof name === "string" && name !== ""))];
}
