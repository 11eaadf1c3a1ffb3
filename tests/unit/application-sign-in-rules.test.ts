import { describe, expect, it } from "vitest";
import { auditLines, type TAuditLine } from "@/components/audit/audit-lines";
import { compareFields } from "@/components/members/member-labels";
import { durationWords } from "@/components/applications/sign-in-labels";
import { uriProblem, ZOidcSettingsInput } from "@/server/applications/oidc-settings-schemas";

// The pure rules of an application's sign-in settings: which addresses may be
// registered, how lifetimes and secret events read.

const text = (line: TAuditLine) => line.segments.map((segment) => (typeof segment === "string" ? segment : `<${segment.at}>`)).join("");

describe("addresses an application may register", () => {
  it.each([
    "https://app.example.test/callback",
    "https://app.example.test:8443/a/b?c=d",
    "http://localhost:3000/cb",
    "http://127.0.0.1/cb",
    "http://[::1]:9000/cb",
  ])("accepts %s", (uri) => expect(uriProblem(uri)).toBeNull());

  it.each([
    ["http://app.example.test/cb", "Use https://"],
    ["http://localhost.evil.test/cb", "Use https://"],
    ["javascript:alert(1)", "Use an https:// address"],
    ["ftp://app.example.test/cb", "Use an https:// address"],
    ["https://*.example.test/cb", "Wildcards"],
    ["https://app.example.test/cb#x", "fragment"],
    ["https://app.example.test/cb#", "fragment"],
    ["app.example.test/cb", "absolute address"],
    ["https://a:b@app.example.test/cb", "user name and password"],
    [`https://app.example.test/${"x".repeat(2000)}`, "At most 2,000 characters"],
  ])("refuses %s (%s)", (uri, words) => expect(uriProblem(uri)).toContain(words));

  it("names the line of a refused address in a list, and drops blank lines and repeats", () => {
    const base = { applicationId: "1", expectedUpdatedAt: null, clientType: "public", postLogoutRedirectUris: "", backchannelLogoutUri: "", firstParty: true, accessTokenTtlSeconds: 600, idTokenTtlSeconds: 600, refreshTokenTtlSeconds: 3600, claimSets: [] };
    const refused = ZOidcSettingsInput.safeParse({ ...base, redirectUris: "https://a.test/cb\nhttps://*.test/cb" });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([["redirectUris", "Line 2: Wildcards are not allowed: list each address exactly"]]);
    const accepted = ZOidcSettingsInput.parse({ ...base, redirectUris: " https://a.test/cb \r\n\r\nhttps://a.test/cb\n" });
    expect(accepted.redirectUris).toEqual(["https://a.test/cb"]);
    expect(accepted.backchannelLogoutUri).toBeNull();
  });
});

describe("words", () => {
  it("says a lifetime in the largest whole unit", () => {
    expect([60, 600, 3600, 1_209_600, 7_776_000, 90].map(durationWords)).toEqual(["1 minute", "10 minutes", "1 hour", "14 days", "90 days", "90 seconds"]);
    expect(durationWords(Number.NaN)).toBe("");
  });

  it("reads secret events by their last four characters and the overlap's end as a moment", () => {
    const until = "2026-12-06T10:00:00.000Z";
    const lines = auditLines({ clientSecret: { before: null, after: "…abcd" }, previousSecretsValidUntil: { before: null, after: until } }, compareFields).map(text);
    expect(lines).toEqual(["A new client secret …abcd was issued", `The previous secret works until <${until}>`]);
    expect(auditLines({ clientSecret: { before: "…wxyz", after: null } }, compareFields).map(text)).toEqual(["The client secret …wxyz was revoked"]);
  });
});
