import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";
import { openValue, sealValue } from "@/server/shared/secret-box";
import { ZAttributeMapping, type TAttributeMapping } from "@/server/directories/attribute-mapping";
import type { TConnectionSettings } from "@/server/directories/ldap-connection";
import type { TDepartmentSource } from "@/server/directories/map-entry";
import type { Directory } from "@/server/db/generated/client";

// A directory as the server uses it: its row, its mapping parsed, and its
// connection settings with the bind password opened. Server-only: the opened
// password never goes into a procedure's answer.

const SEAL_PURPOSE = "directory-bind";

export function sealBindPassword(directoryId: bigint, password: string): string {
  return sealValue(SEAL_PURPOSE, directoryId.toString(), password);
}

export type TLoadedDirectory = {
  row: Directory;
  mapping: TAttributeMapping;
  connection: TConnectionSettings;
  departments: TDepartmentSource;
};

export function loadedDirectory(row: Directory): TLoadedDirectory {
  const departments: TDepartmentSource =
    row.departmentSource === "ou_path"
      ? { source: "ou_path", baseDn: row.baseDn }
      : row.departmentSource === "attribute" && row.departmentAttribute
        ? { source: "attribute", attribute: row.departmentAttribute }
        : { source: "none" };
  return {
    row,
    mapping: ZAttributeMapping.parse(row.attributeMapping),
    connection: {
      url: row.url,
      startTls: row.startTls,
      caCertificate: row.caCertificate,
      bindDn: row.bindDn,
      bindPassword: row.bindPasswordSealed ? openValue(SEAL_PURPOSE, row.id.toString(), row.bindPasswordSealed) : null,
    },
    departments,
  };
}

/** The tenant's directory, or NotFoundError (another tenant's id is not found either). */
export async function loadDirectory(db: TDatabaseOrTransaction, tenantId: bigint, directoryId: bigint): Promise<TLoadedDirectory> {
  const row = await db.directory.findFirst({ where: { id: directoryId, tenantId } });
  if (!row) throw new NotFoundError("No such directory");
  return loadedDirectory(row);
}
