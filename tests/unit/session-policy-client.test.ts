import { describe, expect, it } from "vitest";
import { clientInfoFromHeaders } from "@/server/http/client-headers";
import { deviceFamily, networkOf } from "@/server/auth/client-device";
import { signInMobile } from "@/server/auth/find-sign-in-account";
import { DEFAULT_SECURITY_POLICY, ZSecurityPolicy } from "@/server/auth/security-policy-schemas";

describe("what makes a device (abnormal-login detection)", () => {
  it("names the browser and system family, not the version", () => {
    expect(deviceFamily("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36")).toBe("Chrome on Linux");
    expect(deviceFamily("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36 Edg/120.0")).toBe("Edge on Windows");
    expect(deviceFamily("Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1")).toBe("Safari on iOS");
    expect(deviceFamily("Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:128.0) Gecko/20100101 Firefox/128.0")).toBe("Firefox on macOS");
    expect(deviceFamily("something odd")).toBe("Other");
    expect(deviceFamily(null)).toBeNull();
  });
  it("takes the /24 of IPv4 and the /48 of IPv6 addresses", () => {
    expect(networkOf("203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkOf("::ffff:203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkOf("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(networkOf("2001:db8::1")).toBe("2001:db8:0::/48");
    expect(networkOf("fe80::1%eth0")).toBe("fe80:0:0::/48");
    expect(networkOf("not an address")).toBeNull();
    expect(networkOf(undefined)).toBeNull();
  });
  it("takes the address only from the header Tenure's HTTP server writes, never X-Forwarded-For or X-Real-IP", () => {
    expect(clientInfoFromHeaders({ "x-tenure-client-address": "203.0.113.9", "x-forwarded-for": "6.6.6.6", "user-agent": "ua" })).toEqual({ ipAddress: "203.0.113.9", userAgent: "ua" });
    expect(clientInfoFromHeaders({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }).ipAddress).toBeNull();
    expect(clientInfoFromHeaders({ "x-real-ip": "203.0.113.10" }).ipAddress).toBeNull();
  });
});

describe("signing in by mobile number", () => {
  it("reads international numbers as E.164 and leaves everything else to username and email", () => {
    expect(signInMobile("+44 7400 123456")).toBe("+447400123456");
    expect(signInMobile("0044 (7400) 123-456")).toBe("+447400123456");
    expect(signInMobile("07700 900123")).toBeNull();
    expect(signInMobile("ada.lovelace")).toBeNull();
    expect(signInMobile("+44 12")).toBeNull();
  });
});

describe("the security policy schema", () => {
  it("accepts the defaults and holds NIST's caps", () => {
    expect(ZSecurityPolicy.parse(DEFAULT_SECURITY_POLICY)).toEqual(DEFAULT_SECURITY_POLICY);
    const refused = (change: object) => !ZSecurityPolicy.safeParse({ ...DEFAULT_SECURITY_POLICY, ...change }).success;
    expect(refused({ idleTimeoutMinutes: 61 })).toBe(true);
    expect(refused({ absoluteLifetimeHours: 25 })).toBe(true);
    expect(refused({ lockoutThreshold: 101 })).toBe(true);
    expect(refused({ lockoutThreshold: 0 })).toBe(true);
    expect(refused({ passwordMinLength: 14 })).toBe(true);
    expect(refused({ passwordMinLength: 8, mfaRequirement: "admins" })).toBe(true);
    expect(refused({ passwordMinLength: 8, mfaRequirement: "everyone" })).toBe(false);
    expect(refused({ passwordMinLength: 7, mfaRequirement: "everyone" })).toBe(true);
    expect(refused({ passwordExpiryDays: null })).toBe(false);
    expect(refused({ passwordExpiryDays: 0 })).toBe(true);
    expect(refused({ lockoutDurationMinutes: 60, lockoutMaxDurationMinutes: 30 })).toBe(true);
    expect(refused({ unknownField: 1 })).toBe(true);
  });
  it("says which field is wrong when a number is missing (an empty form field)", () => {
    const result = ZSecurityPolicy.safeParse({ ...DEFAULT_SECURITY_POLICY, lockoutThreshold: Number.NaN });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["lockoutThreshold"]);
  });
});
