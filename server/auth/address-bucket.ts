import { isIPv4, isIPv6 } from "node:net";

// The per-address rate limit counts by bucket, not by the exact address: an
// IPv6 client is usually handed a whole /64 (RFC 6177 / RFC 7421) and can hop
// between its 2^64 addresses at will, so one /64 is one client. An IPv4
// address is its own bucket, and an IPv4-mapped IPv6 address ("::ffff:1.2.3.4",
// what a dual-stack socket reports) is the IPv4 address it maps.

function ipv6Groups(address: string): number[] | null {
  const halves = address.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16)));
  const head = parse(halves[0]!);
  const tail = halves.length === 2 ? parse(halves[1]!) : [];
  const groups = halves.length === 2 ? [...head, ...Array<number>(Math.max(0, 8 - head.length - tail.length)).fill(0), ...tail] : head;
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff) ? groups : null;
}

/** "203.0.113.9" → itself; "2001:db8:1:2:a:b:c:d" → "2001:db8:1:2::/64"; "::ffff:203.0.113.9" → "203.0.113.9"; unreadable → null. */
export function addressBucket(ipAddress: string | null | undefined): string | null {
  if (!ipAddress) return null;
  const trimmed = ipAddress.trim();
  if (isIPv4(trimmed)) return trimmed;
  // Zone ids ("fe80::1%eth0") name an interface, not an address.
  const bare = trimmed.split("%")[0]!.toLowerCase();
  if (!isIPv6(bare)) return null;
  const mapped = /^(?:0{0,4}:){0,5}(?:0{0,4}::?)?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(bare)?.[1];
  if (mapped && isIPv4(mapped)) return mapped;
  // An IPv6 address with a dotted tail that is not IPv4-mapped: its first 64 bits are plain groups anyway.
  const withoutDotted = bare.includes(".") ? bare.replace(/\d+\.\d+\.\d+\.\d+$/, "0:0") : bare;
  const groups = ipv6Groups(withoutDotted);
  return groups ? `${groups.slice(0, 4).map((group) => group.toString(16)).join(":")}::/64` : null;
}
