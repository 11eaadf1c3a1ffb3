import { isIPv4, isIPv6 } from "node:net";

// What identifies "the same device" for abnormal-login detection: the browser
// and system family of the user agent (not its version, which changes with
// every update) and the client's network, /24 for IPv4 and /48 for IPv6 (an
// address within one home or office network changes often, the network rarely).

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, "Edge"],
  [/\b(OPR|Opera)\//, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\b(Firefox|FxiOS)\//, "Firefox"],
  [/\b(HeadlessChrome|Chrome|CriOS|Chromium)\//, "Chrome"],
  [/\bVersion\/[\d.]+.*Safari\//, "Safari"],
  [/\bcurl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/\bWindows\b/, "Windows"],
  [/\b(iPhone|iPad|iPod)\b/, "iOS"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b/, "Linux"],
];

/** "Chrome on Linux", "Safari on iOS", "Other" when nothing is recognised. */
export function deviceFamily(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const browser = BROWSERS.find(([pattern]) => pattern.test(userAgent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(userAgent))?.[1];
  if (!browser && !system) return "Other";
  return `${browser ?? "Other browser"} on ${system ?? "another system"}`;
}

function expandIPv6(address: string): number[] | null {
  const [head = "", tail] = address.split("::") as [string, string | undefined];
  const parse = (part: string) => (part === "" ? [] : part.split(":").map((group) => Number.parseInt(group, 16)));
  const start = parse(head);
  const end = tail === undefined ? [] : parse(tail);
  const groups = tail === undefined ? start : [...start, ...Array<number>(8 - start.length - end.length).fill(0), ...end];
  return groups.length === 8 && groups.every((group) => Number.isInteger(group)) ? groups : null;
}

/** The client's /24 (IPv4) or /48 (IPv6) network, e.g. "203.0.113.0/24"; null for no or an unreadable address. */
export function networkOf(ipAddress: string | null | undefined): string | null {
  if (!ipAddress) return null;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ipAddress)?.[1];
  const address = mapped ?? ipAddress;
  if (isIPv4(address)) return `${address.split(".").slice(0, 3).join(".")}.0/24`;
  // Zone ids ("fe80::1%eth0") name an interface, not a network.
  const bare = address.split("%")[0]!;
  if (!isIPv6(bare) || bare.includes(".")) return null;
  const groups = expandIPv6(bare.toLowerCase());
  return groups ? `${groups.slice(0, 3).map((group) => group.toString(16)).join(":")}::/48` : null;
}
