import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { ValidationError } from "@/server/errors";

// Where Tenure may send a bearer token. https anywhere an application can
// live (an internal host included: Tenure is self-hosted beside them), plain
// http only to this machine (a development peer, the test rig). Never to
// link-local addresses (cloud metadata services answer there), the
// unspecified address or multicast, checked on the resolved addresses at every
// call. A name that resolves differently between the check and the connection
// (DNS rebinding) is not covered: the token only goes to what an owner typed.

const REFUSED = "Use an https:// URL (http:// only to this machine), without a user name, password or fragment";

function isLoopback(address: string): boolean {
  return /^127\./.test(address) || address === "::1" || address === "::ffff:127.0.0.1";
}

function isForbidden(address: string): boolean {
  const v4 = address.startsWith("::ffff:") ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a, b] = v4.split(".").map(Number) as [number, number];
    return a === 0 || (a === 169 && b === 254) || a >= 224;
  }
  const lower = address.toLowerCase();
  return lower === "::" || /^fe[89ab]/.test(lower) || lower.startsWith("ff");
}

/** The URL's shape: the form and the server share it (no network). Returns a message, or null when fine. */
export function scimBaseUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return REFUSED;
  }
  if (url.username || url.password || url.hash) return REFUSED;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (url.protocol === "http:") return host === "localhost" || isLoopback(host) ? null : REFUSED;
  if (url.protocol !== "https:") return REFUSED;
  if (isIP(host) && isForbidden(host)) return "This address cannot be an application's SCIM endpoint";
  return null;
}

/** Throws unless the URL's shape is allowed and every address its host resolves to is too. */
export async function assertScimDestination(value: string): Promise<void> {
  const problem = scimBaseUrlProblem(value);
  if (problem) throw new ValidationError(problem, { baseUrl: [problem] });
  const url = new URL(value);
  const host = url.hostname.replace(/^\[|\]$/g, "");
  const addresses = isIP(host) ? [host] : (await lookup(host, { all: true }).catch(() => [])).map((entry) => entry.address);
  if (addresses.length === 0) throw new ValidationError("The host name does not resolve", { baseUrl: ["The host name does not resolve"] });
  const plainHttp = url.protocol === "http:";
  for (const address of addresses) {
    if (isForbidden(address) || (plainHttp && !isLoopback(address))) {
      throw new ValidationError("This address cannot be an application's SCIM endpoint", { baseUrl: ["This address cannot be an application's SCIM endpoint"] });
    }
  }
}

/** The base URL without a trailing slash, so paths join as `${base}/Users`. */
export const trimBaseUrl = (value: string) => value.replace(/\/+$/, "");
