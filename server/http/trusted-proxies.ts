import { BlockList, isIPv4, isIPv6 } from "node:net";

// Which X-Forwarded-For entries to believe (TRUSTED_PROXIES). Without the
// setting none are: the client is the socket's peer, because any client can
// send the header itself. "2" trusts that many proxies in front of us (each
// appended the address it saw); a CIDR list ("10.0.0.0/8,::1") trusts the
// proxies at those addresses, however many there are.

export type TTrustedProxies =
  | { kind: "none" }
  | { kind: "hops"; hops: number }
  | { kind: "addresses"; list: BlockList };

export const NO_TRUSTED_PROXIES: TTrustedProxies = { kind: "none" };

function addRange(list: BlockList, entry: string): void {
  const [address = "", prefixText] = entry.split("/") as [string, string | undefined];
  const family = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : null;
  if (!family) throw new Error(`"${entry}" is not an IP address or CIDR range`);
  const maxPrefix = family === "ipv4" ? 32 : 128;
  const prefix = prefixText === undefined ? maxPrefix : Number(prefixText);
  if (!/^\d+$/.test(prefixText ?? "0") || prefix > maxPrefix) throw new Error(`"${entry}" has an invalid prefix length`);
  list.addSubnet(address, prefix, family);
}

/** Parses TRUSTED_PROXIES; throws with a message naming the bad part. */
export function parseTrustedProxies(value: string | undefined): TTrustedProxies {
  const text = value?.trim() ?? "";
  if (text === "" || text === "0") return NO_TRUSTED_PROXIES;
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 20) throw new Error("a hop count above 20 is not plausible");
    return { kind: "hops", hops };
  }
  const list = new BlockList();
  for (const entry of text.split(",")) addRange(list, entry.trim());
  return { kind: "addresses", list };
}

export function isTrustedProxy(trusted: TTrustedProxies, address: string): boolean {
  if (trusted.kind !== "addresses") return false;
  const family = isIPv4(address) ? "ipv4" : isIPv6(address) ? "ipv6" : null;
  return family !== null && trusted.list.check(address, family);
}
