import { X509Certificate } from "node:crypto";
import { FilterParser } from "ldapts";
import { ValidationError } from "@/server/errors";

// What the shared schema (pure, it runs in the browser too) cannot check: the
// CA certificate parses, and ldapts reads the filters as our own check did.

export function checkDirectorySettingsOnServer(values: { caCertificate: string | null; userFilter: string; groupFilter?: string | null }): void {
  if (values.caCertificate) {
    try {
      new X509Certificate(values.caCertificate);
    } catch {
      throw new ValidationError("The CA certificate could not be read", { caCertificate: ["Not a readable PEM certificate"] });
    }
  }
  for (const [field, filter] of [["userFilter", values.userFilter], ["groupFilter", values.groupFilter]] as const) {
    if (!filter) continue;
    try {
      FilterParser.parseString(filter);
    } catch {
      throw new ValidationError("The filter could not be read", { [field]: ["An LDAP filter in parentheses, such as (objectClass=inetOrgPerson)"] });
    }
  }
}

/** The settings a stored bind password belongs to: it is only ever sent to the same server, the same way, as the same DN. */
export type TBindTarget = { url: string; startTls: boolean; caCertificate: string | null; bindDn: string };

export function sameBindTarget(saved: TBindTarget, next: TBindTarget): boolean {
  return saved.url === next.url && saved.startTls === next.startTls && (saved.caCertificate ?? null) === (next.caCertificate ?? null) && saved.bindDn === next.bindDn;
}

/**
 * A stored password is never sent to an address someone just typed (a "test
 * connection" to a host of one's own would hand it over in a simple bind):
 * changing where or how it is sent means entering it again.
 */
export const PASSWORD_AGAIN = "Enter the bind password again: the address, TLS settings or bind DN changed, and the stored password is only ever sent where it was saved for";

/**
 * A bind DN with no password is an "unauthenticated bind" (RFC 4513), which
 * some servers accept as anonymous: a test would say "bound" and a sync would
 * read as nobody. A bind DN always comes with its password.
 */
export const PASSWORD_NEEDED = "Enter the bind account's password (or clear the bind DN for an anonymous bind)";
