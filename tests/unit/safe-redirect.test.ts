import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "@/server/validation/safe-redirect";

// Issue 10 item 10: known open-redirect bypasses, each refused (the fallback "/"), and our own paths kept.

const BYPASSES = [
  "/\\evil.example",
  "/%5Cevil.example",
  "/%5cevil.example",
  "/%09/evil.example",
  "/\t/evil.example",
  "/%0A/evil.example",
  "/\n/evil.example",
  "//evil.example",
  "///evil.example",
  "/%2F/evil.example",
  "/%2f/evil.example",
  "/%252F/evil.example",
  "/./%2F/evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "https://evil.example",
  "HTTPS://evil.example",
  "hTtP://evil.example/x",
  "http:evil.example",
  "//evil.example@tenure.invalid",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "\\\\evil.example",
  "\\/evil.example",
  " /evil.example",
  "\t//evil.example",
  "\u3000//evil.example",
  "/\u0000/evil.example",
  "evil.example",
  "%2F%2Fevil.example",
  "/%E0%A4%A",
  "",
  "/" + "a".repeat(5000),
];

describe("safeRedirectPath", () => {
  it.each(BYPASSES)("refuses %j", (candidate) => {
    expect(safeRedirectPath(candidate)).toBe("/");
  });

  it("refuses what is not a string", () => {
    for (const candidate of [undefined, null, 42, ["/me"], { href: "/me" }]) expect(safeRedirectPath(candidate)).toBe("/");
  });

  it.each([
    ["/me", "/me"],
    ["/console/members?status=locked&search=Ada%20Lovelace", "/console/members?status=locked&search=Ada%20Lovelace"],
    ["/me/security#mfa", "/me/security#mfa"],
    ["/console/../me", "/me"],
  ])("keeps our own path %j", (candidate, expected) => {
    expect(safeRedirectPath(candidate)).toBe(expected);
  });

  it("accepts an absolute URL of our own origin only, as a path", () => {
    expect(safeRedirectPath("https://tenure.example/me?x=1", { origin: "https://tenure.example" })).toBe("/me?x=1");
    expect(safeRedirectPath("https://tenure.example.evil.example/me", { origin: "https://tenure.example" })).toBe("/");
    expect(safeRedirectPath("http://tenure.example/me", { origin: "https://tenure.example" })).toBe("/");
    expect(safeRedirectPath("https://tenure.example//evil.example", { origin: "https://tenure.example" })).toBe("/");
  });

  it("uses the caller's fallback", () => {
    expect(safeRedirectPath("//evil.example", { fallback: "" })).toBe("");
  });
});
