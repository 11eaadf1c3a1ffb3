import { isIP } from "node:net";
import { isTrustedProxy, type TTrustedProxies } from "./trusted-proxies";

// The client's address for rate limits, login history and audit: the socket's
// peer, unless that peer is a trusted proxy, in which case X-Forwarded-For is
// read from the right (each proxy appends the address it saw) and the first
// address not vouched for by a trusted proxy is the client.

/** "::ffff:203.0.113.9" (an IPv4 client on a dual-stack socket) → "203.0.113.9"; null for anything but an address. */
export function normaliseAddress(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let address = raw.trim();
  // RFC 7239 style "[2001:db8::1]" or "203.0.113.9:4711" from some proxies.
  const bracketed = /^\[([0-9a-fA-F:.]+)\](?::\d+)?$/.exec(address);
  if (bracketed) address = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(address)) address = address.slice(0, address.lastIndexOf(":"));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) address = mapped;
  return isIP(address) ? address.toLowerCase() : null;
}

/** X-Forwarded-For's entries, nearest proxy last; one header or several (joined). */
function forwardedChain(forwardedFor: string | string[] | undefined): string[] {
  if (!forwardedFor) return [];
  const joined = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  // A chain longer than this is not a chain of real proxies; the cap keeps the work small.
  return joined.split(",", 64).map((entry) => entry.trim());
}

export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trusted: TTrustedProxies): string | null {
  const peer = normaliseAddress(socketAddress);
  if (trusted.kind === "none" || peer === null) return peer;
  // Nearest first: the socket's peer, then X-Forwarded-For from its last entry.
  const chain = [peer, ...forwardedChain(forwardedFor).reverse()];
  if (trusted.kind === "hops") {
    // With N proxies in front, the N-th hop from us saw the client: chain[N]. A shorter chain (a request
    // that skipped a proxy) falls back to the farthest entry there is.
    const entry = chain[Math.min(trusted.hops, chain.length - 1)];
    return normaliseAddress(entry) ?? peer;
  }
  let client = peer;
  for (let index = 0; index < chain.length; index += 1) {
    const address = normaliseAddress(chain[index]);
    // An entry that is not an address ends the walk: nothing beyond it was written by a proxy we trust.
    if (address === null) return client;
    client = address;
    if (!isTrustedProxy(trusted, address)) return client;
  }
  return client;
}
