import type { TDatabase } from "@/server/db/client";
import { requestedAttributes } from "@/server/directories/attribute-mapping";
import type { TDirectoryProbe } from "@/server/directories/directory-schemas";
import { resolveProbeTarget, type TProbeActor } from "@/server/directories/directory-probe";
import { DirectoryConnectionError, withDirectoryConnection } from "@/server/directories/ldap-connection";
import { mapDirectoryEntry } from "@/server/directories/map-entry";
import { searchOne } from "@/server/directories/test-directory-connection";

// "Preview 20 entries": the first entries of the user filter, each mapped as
// a sync would map it, with every field Tenure's rules refuse, in words.
// Nothing is written.

export const PREVIEW_SIZE = 20;

export type TPreviewEntry = {
  dn: string;
  entryId: string | null;
  fields: Record<string, string | null>;
  departmentPath: string[] | null;
  disabled: boolean;
  problems: { field: string | null; message: string }[];
};

export type TPreviewResult = { ok: true; entries: TPreviewEntry[] } | { ok: false; message: string };

export async function previewDirectoryEntries(db: TDatabase, actor: TProbeActor, input: TDirectoryProbe): Promise<TPreviewResult> {
  const target = await resolveProbeTarget(db, actor, input);
  const departmentAttribute = target.departments.source === "attribute" ? target.departments.attribute : null;
  const attributes = requestedAttributes(target.mapping, departmentAttribute);
  const binary = target.mapping.entryIdFormat === "guid" ? [target.mapping.entryId] : [];
  try {
    const entries = await withDirectoryConnection(target.connection, (client) => searchOne(client, target, attributes, PREVIEW_SIZE, binary));
    return {
      ok: true,
      entries: entries.slice(0, PREVIEW_SIZE).map((entry) => {
        const mapped = mapDirectoryEntry(entry, target.mapping, target.departments);
        return {
          dn: mapped.dn,
          entryId: mapped.entryId,
          fields: mapped.fields,
          departmentPath: mapped.departmentPath,
          disabled: mapped.disabled,
          problems: mapped.problems.map((problem) => ({ field: problem.field, message: problem.message })),
        };
      }),
    };
  } catch (error) {
    if (error instanceof DirectoryConnectionError) return { ok: false, message: error.message };
    throw error;
  }
}
