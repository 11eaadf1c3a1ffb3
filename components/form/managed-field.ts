import type { TManagedBy, TManagedField } from "@/server/shared/managed-fields";

// A field a directory fills (issue 13): read-only, with "Managed by <directory>"
// where the hint goes. The value is still submitted (readOnly, not disabled),
// so the server sees it unchanged and accepts the rest of the form.

export type TManagedFieldProps = { readOnly: true; hint: string; "data-managed-by": string } | Record<string, never>;

export function managedFieldProps(managedBy: TManagedBy | null | undefined, field: TManagedField): TManagedFieldProps {
  if (!managedBy || !(managedBy.fields as readonly string[]).includes(field)) return {};
  return { readOnly: true, hint: `Managed by ${managedBy.directoryName}`, "data-managed-by": managedBy.directoryName };
}

export function isManaged(managedBy: TManagedBy | null | undefined, field: TManagedField): boolean {
  return !!managedBy && (managedBy.fields as readonly string[]).includes(field);
}
