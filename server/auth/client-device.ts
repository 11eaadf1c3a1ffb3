import { isIPv4, isIPv6 } from "node:net";
import { MAX_USER_AGENT_LENGTH } from "@/server/http/client-headers";

// What identifies "the same device" for abnormal-login detection: the browser
// and system family of the user agent (not its version, which changes with
// every update) and the client's network, /24 for IPv4 and /48 for IPv6 (an
// address within one home or office network changes often, the network rarely).
//
// The user agent is read by one pass over at most MAX_USER_AGENT_LENGTH
// characters, no regular expression: it is the client's text, and a
// backtracking pattern on a crafted 16 kB one cost the whole process 0.4 s.

type TUserAgentWords = {
  /** Every word (a run of letters, digits and "_"), in order. */
  words: string[];
  /** The index in `words` of each word followed by "/" (a product: "Chrome/131.0"), last occurrence. */
  products: Map<string, number>;
  /** The first occurrence of each product. */
  firstProducts: Map<string, number>;
};

function isWordCharacter(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/** Splits a user agent into words in one pass over its first MAX_USER_AGENT_LENGTH characters. */
export function userAgentWords(userAgent: string): TUserAgentWords {
  const text = userAgent.length > MAX_USER_AGENT_LENGTH ? userAgent.slice(0, MAX_USER_AGENT_LENGTH) : userAgent;
  const result: TUserAgentWords = { words: [], products: new Map(), firstProducts: new Map() };
  let start = -1;
  for (let index = 0; index <= text.length; index += 1) {
    const code = index < text.length ? text.charCodeAt(index) : -1;
    if (isWordCharacter(code)) {
      if (start < 0) start = index;
      continue;
    }
    if (start < 0) continue;
    const word = text.slice(start, index);
    start = -1;
    if (code === 47 /* "/" */) {
      result.products.set(word, result.words.length);
      if (!result.firstProducts.has(word)) result.firstProducts.set(word, result.words.length);
    }
    result.words.push(word);
  }
  return result;
}

const hasProduct = (ua: TUserAgentWords, ...names: string[]) => names.some((name) => ua.products.has(name));
const hasWord = (ua: TUserAgentWords, ...names: string[]) => names.some((name) => ua.words.includes(name));

function isMacOsX(ua: TUserAgentWords): boolean {
  return ua.words.some((word, index) => word === "Mac" && ua.words[index + 1] === "OS" && ua.words[index + 2] === "X");
}

/** Safari says "Version/18.0 … Safari/604.1"; Chrome and others say "Safari/" without "Version/" first. */
function isSafari(ua: TUserAgentWords): boolean {
  const version = ua.firstProducts.get("Version");
  const safari = ua.products.get("Safari");
  return version !== undefined && safari !== undefined && version < safari;
}

// First match wins: Edge and Opera also name Chrome, Chrome also names Safari.
const BROWSERS: [(ua: TUserAgentWords) => boolean, string][] = [
  [(ua) => hasProduct(ua, "Edg", "Edge", "EdgA", "EdgiOS"), "Edge"],
  [(ua) => hasProduct(ua, "OPR", "Opera"), "Opera"],
  [(ua) => hasProduct(ua, "SamsungBrowser"), "Samsung Internet"],
  [(ua) => hasProduct(ua, "Firefox", "FxiOS"), "Firefox"],
  [(ua) => hasProduct(ua, "HeadlessChrome", "Chrome", "CriOS", "Chromium"), "Chrome"],
  [isSafari, "Safari"],
  [(ua) => hasProduct(ua, "curl"), "curl"],
];

const SYSTEMS: [(ua: TUserAgentWords) => boolean, string][] = [
  [(ua) => hasWord(ua, "Windows"), "Windows"],
  [(ua) => hasWord(ua, "iPhone", "iPad", "iPod"), "iOS"],
  [(ua) => hasWord(ua, "Android"), "Android"],
  [(ua) => hasWord(ua, "CrOS"), "ChromeOS"],
  [(ua) => isMacOsX(ua) || hasWord(ua, "Macintosh"), "macOS"],
  [(ua) => hasWord(ua, "Linux"), "Linux"],
];

/** "Chrome on Linux", "Safari on iOS", "Other" when nothing is recognised. */
export function deviceFamily(userAgent: string | null | undefined): string | null {
  if (!userAgent) return null;
  const ua = userAgentWords(userAgent);
  const browser = BROWSERS.find(([matches]) => matches(ua))?.[1];
  const system = SYSTEMS.find(([matches]) => matches(ua))?.[1];
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
