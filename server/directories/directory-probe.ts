import type { TDatabase } from "@/server/db/client";
import { ForbiddenError, NotFoundError, ValidationError } from "@/server/errors";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import type { TAttributeMapping } from "@/server/directories/attribute-mapping";
import { checkDirectorySettingsOnServer, PASSWORD_AGAIN, PASSWORD_NEEDED, sameBindTarget } from "@/server/directories/check-directory-settings";
import { ZDirectoryProbe, type TDirectoryProbe } from "@/server/directories/directory-schemas";
import { reserveDirectoryProbe } from "@/server/directories/directory-probe-limit";
import type { TConnectionSettings } from "@/server/directories/ldap-connection";
import { loadedDirectory, type TLoadedDirectory } from "@/server/directories/load-directory";
import type { TDepartmentSource } from "@/server/directories/map-entry";

// What "Test connection" and "Preview 20 entries" connect with: the saved
// directory (any admin), or the form's unsaved values (owners only: the server
// connects wherever they point). Each counts against the organisation's limit.

const PROBE_TIMEOUT_MS = 10_000;

export type TProbeActor = { tenantId: bigint; memberId: bigint | null; sysAdmin: number };

export type TProbeTarget = {
  connection: TConnectionSettings;
  baseDn: string;
  userFilter: string;
  mapping: TAttributeMapping;
  departments: TDepartmentSource;
};

const STORED_PASSWORD_UNREADABLE = "The stored bind password can no longer be opened (was NEXTAUTH_SECRET changed?): enter it again and save";

/** The saved directory with its password opened; one that no longer opens is a sentence, not a crash. */
async function loadSaved(db: TDatabase, tenantId: bigint, directoryId: bigint): Promise<TLoadedDirectory> {
  const row = await db.directory.findFirst({ where: { id: directoryId, tenantId } });
  if (!row) throw new NotFoundError("No such directory");
  try {
    return loadedDirectory(row);
  } catch {
    throw new ValidationError(STORED_PASSWORD_UNREADABLE, { bindPassword: [STORED_PASSWORD_UNREADABLE] });
  }
}

export async function resolveProbeTarget(db: TDatabase, actor: TProbeActor, rawInput: TDirectoryProbe): Promise<TProbeTarget> {
  const { directoryId, settings } = ZDirectoryProbe.parse(rawInput);
  if (settings && actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError("Only owners may test unsaved settings: admins test the saved directory");
  const saved = directoryId === undefined ? null : await loadSaved(db, actor.tenantId, BigInt(directoryId));
  let target: TProbeTarget;
  if (settings) {
    checkDirectorySettingsOnServer({ caCertificate: settings.caCertificate, userFilter: settings.userFilter });
    let bindPassword = settings.bindPassword ?? null;
    if (bindPassword === null && settings.bindDn !== "" && saved?.connection.bindPassword) {
      if (!sameBindTarget(saved.connection, settings)) throw new ValidationError(PASSWORD_AGAIN, { bindPassword: [PASSWORD_AGAIN] });
      bindPassword = saved.connection.bindPassword;
    }
    target = {
      connection: { url: settings.url, startTls: settings.startTls, caCertificate: settings.caCertificate, bindDn: settings.bindDn, bindPassword },
      baseDn: settings.baseDn,
      userFilter: settings.userFilter,
      mapping: settings.attributeMapping,
      departments:
        settings.departmentSource === "ou_path"
          ? { source: "ou_path", baseDn: settings.baseDn }
          : settings.departmentSource === "attribute" && settings.departmentAttribute
            ? { source: "attribute", attribute: settings.departmentAttribute }
            : { source: "none" },
    };
  } else {
    // The schema asks for one of the two: here the saved directory.
    const directory = saved!;
    target = { connection: directory.connection, baseDn: directory.row.baseDn, userFilter: directory.row.userFilter, mapping: directory.mapping, departments: directory.departments };
  }
  if (target.connection.bindDn !== "" && !target.connection.bindPassword) throw new ValidationError(PASSWORD_NEEDED, { bindPassword: [PASSWORD_NEEDED] });
  await reserveDirectoryProbe(db, actor.tenantId);
  // A person is waiting on the answer: a directory that stops answering fails sooner than a sync would.
  return { ...target, connection: { ...target.connection, timeoutMs: PROBE_TIMEOUT_MS } };
}
