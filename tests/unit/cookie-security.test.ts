import { describe, expect, it } from "vitest";
import { assertCookiesCanBeSecure, sessionCookieName, sessionCookiesAreSecure } from "@/server/auth/cookie-security";

describe("session cookie security", () => {
  it("is Secure whenever the app is served over https", () => {
    expect(sessionCookiesAreSecure("https://tenure.example.org", "production")).toBe(true);
    expect(sessionCookiesAreSecure("https://localhost:3000", "development")).toBe(true);
  });
  it("is Secure in production on any non-loopback host", () => {
    expect(sessionCookiesAreSecure("http://tenure.internal:3000", "production")).toBe(true);
  });
  it("is not Secure on plain-http loopback, where browsers would drop it", () => {
    for (const url of ["http://localhost:3000", "http://127.0.0.1:3107", "http://[::1]:3000"]) {
      expect(sessionCookiesAreSecure(url, "production")).toBe(false);
    }
    expect(sessionCookiesAreSecure("http://tenure.internal:3000", "development")).toBe(false);
  });
  it("refuses production on a non-loopback http URL", () => {
    expect(() => assertCookiesCanBeSecure("http://tenure.internal:3000", "production")).toThrow(/must be served over https/);
    expect(() => assertCookiesCanBeSecure("https://tenure.internal", "production")).not.toThrow();
    expect(() => assertCookiesCanBeSecure("http://localhost:3000", "production")).not.toThrow();
  });
  it("uses next-auth's cookie names", () => {
    expect(sessionCookieName(true)).toBe("__Secure-next-auth.session-token");
    expect(sessionCookieName(false)).toBe("next-auth.session-token");
  });
});
