import { Client, InvalidCredentialsError, type Entry } from "ldapts";
import { ValidationError } from "@/server/errors";

// One connection to a directory: ldap:// (optionally upgraded by StartTLS) or
// ldaps://, verified against the directory's CA certificate when it has one
// (and the system's otherwise: never unverified), bound as the service
// account. Every failure becomes a sentence an admin can act on.

export type TConnectionSettings = {
  url: string;
  startTls: boolean;
  /** PEM; the server's certificate must chain to it. */
  caCertificate: string | null;
  bindDn: string;
  bindPassword: string | null;
  /** Per operation; a directory that stops answering fails the run instead of hanging it. */
  timeoutMs?: number;
};

/** The directory could not be reached, refused the bind, or answered with an error: `message` says which. */
export class DirectoryConnectionError extends ValidationError {}
/** The directory answered, and refused the DN or password. */
export class DirectoryCredentialsRefusedError extends DirectoryConnectionError {}

const CONNECT_TIMEOUT_MS = 5_000;
const OPERATION_TIMEOUT_MS = 30_000;

function tlsOptions(settings: TConnectionSettings, host: string) {
  return { ...(settings.caCertificate ? { ca: settings.caCertificate } : {}), servername: /^\d+\.\d+\.\d+\.\d+$/.test(host) ? undefined : host, minVersion: "TLSv1.2" as const };
}

/** What went wrong, in words (the raw error's text is kept short: it may come from the network). */
export function describeConnectionError(error: unknown, settings: Pick<TConnectionSettings, "url">): string {
  if (error instanceof DirectoryConnectionError) return error.message;
  if (error instanceof InvalidCredentialsError) return "The directory refused the bind DN or password";
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  const text = (error instanceof Error ? error.message : String(error)).slice(0, 200);
  if (code === "ECONNREFUSED") return `Nothing answers at ${settings.url}: is the directory running, and is the port right?`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `The host of ${settings.url} is not known`;
  if (/timeout|timed out/i.test(text) || code === "ETIMEDOUT") return `The directory at ${settings.url} did not answer in time`;
  if (/certificate|self.signed|unable to verify|altnames|CERT_/i.test(text + code)) return `The directory's TLS certificate is not trusted: ${text}. Add its CA certificate.`;
  return `The directory answered with an error: ${text}`;
}

/** Opens, secures and binds a connection, runs `work`, and always closes it. */
export async function withDirectoryConnection<T>(settings: TConnectionSettings, work: (client: Client) => Promise<T>): Promise<T> {
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new DirectoryConnectionError("Enter the directory's address as ldap://host:port or ldaps://host:port", { url: ["Not an LDAP address"] });
  }
  if (url.protocol !== "ldap:" && url.protocol !== "ldaps:") throw new DirectoryConnectionError("Use ldap:// or ldaps://", { url: ["Use ldap:// or ldaps://"] });
  if (url.protocol === "ldaps:" && settings.startTls) throw new DirectoryConnectionError("StartTLS is for ldap:// addresses; ldaps:// is already encrypted", { startTls: ["Not with ldaps://"] });
  const client = new Client({
    url: `${url.protocol}//${url.host}`,
    connectTimeout: CONNECT_TIMEOUT_MS,
    timeout: settings.timeoutMs ?? OPERATION_TIMEOUT_MS,
    ...(url.protocol === "ldaps:" ? { tlsOptions: tlsOptions(settings, url.hostname) } : {}),
  });
  try {
    if (settings.startTls) await client.startTLS(tlsOptions(settings, url.hostname));
    if (settings.bindDn !== "") await client.bind(settings.bindDn, settings.bindPassword ?? "");
    return await work(client);
  } catch (error) {
    if (error instanceof DirectoryConnectionError) throw error;
    if (error instanceof InvalidCredentialsError) throw new DirectoryCredentialsRefusedError(describeConnectionError(error, settings));
    throw new DirectoryConnectionError(describeConnectionError(error, settings));
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

export type TPagedSearch = { baseDn: string; filter: string; attributes: string[]; pageSize: number; binaryAttributes?: string[]; sizeLimit?: number };

/** The entries of a search, a page at a time (RFC 2696 paged results): memory holds one page, whatever the directory's size. */
export async function* searchPages(client: Client, search: TPagedSearch): AsyncGenerator<Entry[]> {
  const pages = client.searchPaginated(search.baseDn, {
    scope: "sub",
    filter: search.filter,
    attributes: search.attributes,
    explicitBufferAttributes: search.binaryAttributes ?? [],
    paged: { pageSize: search.pageSize },
    sizeLimit: search.sizeLimit ?? 0,
  });
  for await (const page of pages) yield page.searchEntries;
}

/**
 * Checks a password by binding as the member's DN on a fresh connection (sign-in by bind).
 * True or false for the password; a DirectoryConnectionError when the directory cannot answer (never a yes).
 */
export async function verifyByBind(settings: Omit<TConnectionSettings, "bindDn" | "bindPassword">, dn: string, password: string): Promise<boolean> {
  // An empty password would be an unauthenticated bind, which LDAP servers accept: never a yes.
  if (password === "" || dn === "") return false;
  try {
    return await withDirectoryConnection({ ...settings, bindDn: dn, bindPassword: password }, () => Promise.resolve(true));
  } catch (error) {
    if (error instanceof DirectoryCredentialsRefusedError) return false;
    throw error;
  }
}
