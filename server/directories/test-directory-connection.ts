import { NoSuchObjectError, type Client } from "ldapts";
import type { TDatabase } from "@/server/db/client";
import type { TDirectoryProbe } from "@/server/directories/directory-schemas";
import { resolveProbeTarget, type TProbeActor, type TProbeTarget } from "@/server/directories/directory-probe";
import { DirectoryConnectionError, withDirectoryConnection } from "@/server/directories/ldap-connection";

// "Test connection": connect (TLS verified), bind, and look for one entry of
// the user filter under the base DN. A failure is an answer, not an error:
// the sentence says what to fix.

export type TConnectionTestResult = { ok: true; message: string } | { ok: false; message: string };

/** One entry of the user filter under the base DN (or none); a missing base DN in words. */
export async function searchOne(client: Client, target: Pick<TProbeTarget, "baseDn" | "userFilter">, attributes: string[], sizeLimit: number, binaryAttributes: string[] = []) {
  try {
    const { searchEntries } = await client.search(target.baseDn, { scope: "sub", filter: target.userFilter, attributes, sizeLimit, explicitBufferAttributes: binaryAttributes });
    return searchEntries;
  } catch (error) {
    // LDAP answers the same when the entry is there but the bind account may not see it.
    if (error instanceof NoSuchObjectError) {
      throw new DirectoryConnectionError(`The base DN ${target.baseDn} does not exist in the directory, or the bind account may not read it`, { baseDn: ["Not found in the directory"] });
    }
    throw error;
  }
}

export async function testDirectoryConnection(db: TDatabase, actor: TProbeActor, input: TDirectoryProbe): Promise<TConnectionTestResult> {
  const target = await resolveProbeTarget(db, actor, input);
  try {
    const entries = await withDirectoryConnection(target.connection, (client) => searchOne(client, target, ["1.1"], 1));
    const who = target.connection.bindDn === "" ? "anonymously" : `as ${target.connection.bindDn}`;
    return {
      ok: true,
      message: entries.length > 0 ? `Connected and bound ${who}; the user filter finds entries under ${target.baseDn}.` : `Connected and bound ${who}, but the user filter finds no entry under ${target.baseDn}.`,
    };
  } catch (error) {
    if (error instanceof DirectoryConnectionError) return { ok: false, message: error.message };
    throw error;
  }
}
