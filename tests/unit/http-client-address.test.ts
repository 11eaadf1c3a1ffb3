import { describe, expect, it } from "vitest";
import { deviceFamily, userAgentWords } from "@/server/auth/client-device";
import { clientAddress, normaliseAddress } from "@/server/http/client-address";
import { MAX_USER_AGENT_LENGTH } from "@/server/http/client-headers";
import { NO_TRUSTED_PROXIES, parseTrustedProxies } from "@/server/http/trusted-proxies";

describe("TRUSTED_PROXIES", () => {
  it("is none when unset or 0, a hop count, or addresses and CIDR ranges", () => {
    expect(parseTrustedProxies(undefined)).toEqual(NO_TRUSTED_PROXIES);
    expect(parseTrustedProxies("0")).toEqual(NO_TRUSTED_PROXIES);
    expect(parseTrustedProxies("2")).toEqual({ kind: "hops", hops: 2 });
    expect(parseTrustedProxies("10.0.0.0/8, ::1, 2001:db8::/32").kind).toBe("addresses");
  });
  it("refuses what is not an address or range", () => {
    expect(() => parseTrustedProxies("10.0.0.0/33")).toThrow(/prefix/);
    expect(() => parseTrustedProxies("proxy.internal")).toThrow(/not an IP address/);
    expect(() => parseTrustedProxies("10.0.0.0/8,")).toThrow(/not an IP address/);
  });
});

describe("the client's address", () => {
  it("is the socket's peer without trusted proxies, whatever X-Forwarded-For says", () => {
    expect(clientAddress("::ffff:198.51.100.7", "6.6.6.6", NO_TRUSTED_PROXIES)).toBe("198.51.100.7");
    expect(clientAddress("2001:DB8::7", undefined, NO_TRUSTED_PROXIES)).toBe("2001:db8::7");
  });
  it("counts hops from the socket: the N-th proxy's entry, or the farthest there is", () => {
    const hops = parseTrustedProxies("1");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 203.0.113.9", hops)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.2", undefined, hops)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", ["6.6.6.6", "203.0.113.9:4711"], parseTrustedProxies("2"))).toBe("6.6.6.6");
  });
  it("walks trusted ranges from the right and stops at the first address they do not hold, or at garbage", () => {
    const ranges = parseTrustedProxies("10.0.0.0/8");
    expect(clientAddress("10.0.0.2", "6.6.6.6, 203.0.113.9, 10.9.9.9", ranges)).toBe("203.0.113.9");
    expect(clientAddress("10.0.0.2", "6.6.6.6, not-an-address, 10.9.9.9", ranges)).toBe("10.9.9.9");
    expect(clientAddress("198.51.100.7", "6.6.6.6", ranges)).toBe("198.51.100.7");
    expect(clientAddress("::ffff:10.0.0.2", "[2001:db8::9]:443", ranges)).toBe("2001:db8::9");
  });
  it("normalises only addresses", () => {
    expect(normaliseAddress("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(normaliseAddress("203.0.113.9:80")).toBe("203.0.113.9");
    expect(normaliseAddress("<script>")).toBeNull();
  });
});

describe("reading a hostile user agent", () => {
  it("looks at no more than the first MAX_USER_AGENT_LENGTH characters, so any input costs the same", () => {
    const padding = "x".repeat(MAX_USER_AGENT_LENGTH);
    expect(deviceFamily(`Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 ${padding}`)).toBe("Chrome on Linux");
    // What lies beyond the cut is never read: the old patterns read all 16 kB, backtracking.
    expect(deviceFamily(`${padding} Chrome/131.0 (Windows NT 10.0)`)).toBe("Other");
    const adversarial = `Mozilla/5.0 ${"Version/1.0 ".repeat(1300)}Safari/605`;
    const words = userAgentWords(adversarial);
    expect(words.words.join("").length).toBeLessThanOrEqual(MAX_USER_AGENT_LENGTH);
    expect(deviceFamily(adversarial)).toBe("Other");
  });
  it("still tells Safari from the browsers that also say Safari", () => {
    expect(deviceFamily("Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15")).toBe("Safari on macOS");
    expect(deviceFamily("Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 SamsungBrowser/25.0 Chrome/121.0 Mobile Safari/537.36")).toBe("Samsung Internet on Android");
    expect(deviceFamily("Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 OPR/114.0")).toBe("Opera on ChromeOS");
    expect(deviceFamily("curl/8.5.0")).toBe("curl on another system");
  });
});
