// Who does something, from where: the types every domain's services take.
// They live here, below every domain, so that recording an audit event, a
// sign-in or a lifecycle change never makes one domain import another's types.

/** The network facts a request carries (both optional: jobs and scripts have none). */
export type TClientInfo = { ipAddress?: string | null; userAgent?: string | null };

/**
 * Who does a change, from where: every service that writes takes one. A null
 * member id is the system; a directory id names the LDAP directory whose sync
 * acts (events and receipts say "Directory <name>", not just "the system"); an
 * API token id names the token a system outside called with ("API token <name>").
 */
export type TActor = { tenantId: bigint; memberId: bigint | null; directoryId?: bigint | null; apiTokenId?: bigint | null } & TClientInfo;
