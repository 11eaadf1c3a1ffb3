// The member fields a directory can manage (the import's field names, so a
// synced entry is checked by the import's rules). Pure: the directory settings
// form (a client component) reads it too, so nothing here may reach the database.

export const MANAGED_FIELDS = ["username", "email", "firstName", "lastName", "fullName", "mobile", "title", "landline", "address", "country", "gender"] as const;
export type TManagedField = (typeof MANAGED_FIELDS)[number];
