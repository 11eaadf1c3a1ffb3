import type { TManagedField } from "@/server/directories/attribute-mapping";

// Words for the directory settings' choices (pure: pages and forms share them).

export const PRESET_LABELS = { openldap: "OpenLDAP (inetOrgPerson)", active_directory: "Active Directory" } as const;

export const FIELD_LABELS: Record<TManagedField, string> = {
  username: "Username",
  email: "Email",
  firstName: "First name",
  lastName: "Last name",
  fullName: "Full name",
  mobile: "Mobile",
  title: "Title",
  landline: "Landline",
  address: "Address",
  country: "Country",
  gender: "Gender",
};

export const DEPARTMENT_SOURCE_LABELS = { none: "Not mapped", ou_path: "The entry's OU path below the base DN", attribute: "An attribute of the entry" } as const;
export const LINK_LABELS = { none: "Never link: create new members", username: "By username", email: "By email" } as const;
export const DEPROVISION_LABELS = { disable: "Disable", resign: "Resign", archive: "Archive", delete: "Delete (recycle bin)" } as const;
export const ENTRY_ID_FORMAT_LABELS = { text: "Text (entryUUID)", guid: "Binary GUID (objectGUID)" } as const;
export const DISABLED_SIGNAL_LABELS = { none: "Never disabled in the directory", user_account_control: "userAccountControl's disabled bit (AD)", attribute_present: "Disabled while the attribute is present" } as const;
export const CHANGE_MARK_LABELS = { modifyTimestamp: "modifyTimestamp (OpenLDAP)", whenChanged: "whenChanged (Active Directory, a time)", uSNChanged: "uSNChanged (Active Directory)" } as const;
export const USERNAME_FORMAT_LABELS = { as_is: "As the directory gives it", local_part: "The part before @ (userPrincipalName)" } as const;

export function scheduleLabel(minutes: number | null): string {
  if (minutes === null) return "On demand only";
  if (minutes % 1440 === 0) return minutes === 1440 ? "Every day" : `Every ${minutes / 1440} days`;
  if (minutes % 60 === 0) return minutes === 60 ? "Every hour" : `Every ${minutes / 60} hours`;
  return `Every ${minutes} minutes`;
}
