import { describe, expect, it } from "vitest";
import { ZSignIn } from "@/server/auth/schemas";
import { ZEntityId } from "@/server/ids";
import { ZEmail, ZLandline, ZMemberListInput, ZUsername } from "@/server/members/schemas";
import { ZNewPassword } from "@/server/validation/password";
import { ZCreateFirstTenant } from "@/server/tenants/schemas";
import { ZTenantSlug } from "@/server/validation/tenant-slug";
import { validFirstTenantInput } from "../support/inputs";

const valid = validFirstTenantInput;

describe("input schemas", () => {
  it("accepts usernames of letters, digits, dot, dash, underscore (any script), up to 100", () => {
    for (const name of ["olive", "o.live_2", "Zoë-Ångström", "用户"]) expect(ZUsername.safeParse(name).success).toBe(true);
    for (const name of ["", "has space", "olive@acme", "x".repeat(101)]) expect(ZUsername.safeParse(name).success).toBe(false);
  });
  it("trims and checks emails, up to 100 characters", () => {
    expect(ZEmail.parse("  olive@acme.test ")).toBe("olive@acme.test");
    expect(ZEmail.safeParse("olive").success).toBe(false);
    expect(ZEmail.safeParse(`${"a".repeat(95)}@b.test`).success).toBe(false);
  });
  it("requires passwords of 15 to 256 characters of any kind", () => {
    expect(ZNewPassword.safeParse("a".repeat(14)).success).toBe(false);
    expect(ZNewPassword.safeParse("spaces and ünïcode ✓ ok").success).toBe(true);
    expect(ZNewPassword.safeParse("a".repeat(256)).success).toBe(true);
    expect(ZNewPassword.safeParse("a".repeat(257)).success).toBe(false);
  });
  it("normalises organisation slugs to lowercase and rejects odd ones", () => {
    expect(ZTenantSlug.parse(" Acme-Ltd ")).toBe("acme-ltd");
    for (const slug of ["a", "-acme", "acme-", "ac me", "x".repeat(64)]) expect(ZTenantSlug.safeParse(slug).success).toBe(false);
  });
  it("points a password mismatch at the confirmation field", () => {
    const result = ZCreateFirstTenant.safeParse({ ...valid, passwordConfirmation: "something else entirely" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => issue.path.join("."))).toEqual(["passwordConfirmation"]);
    expect(ZCreateFirstTenant.safeParse(valid).success).toBe(true);
  });
  it("requires every sign-in field", () => {
    const result = ZSignIn.safeParse({ organisation: "", login: "", password: "" });
    expect(result.error?.issues.map((issue) => issue.path.join(".")).sort()).toEqual(["login", "organisation", "password"]);
  });
  it("bounds member list pages, defaults to name order and ignores tRPC's own paging fields", () => {
    expect(ZMemberListInput.parse({})).toEqual({ limit: 50, sort: "name", order: "asc" });
    expect(ZMemberListInput.safeParse({ limit: 1000 }).success).toBe(false);
    expect(ZMemberListInput.parse({ direction: "forward" })).not.toHaveProperty("direction");
    expect(ZMemberListInput.safeParse({ departmentId: "99999999999999999999" }).success).toBe(false);
  });
  it("accepts landlines as people write them, with an extension, and nothing that is not a number", () => {
    for (const landline of ["+44 20 7946 0958", "(020) 7946-0958", "020.7946.0958", "+1 (555) 010-0199 ext. 42", "0207946 x12", "030/1234567 #7", "112"]) {
      expect(ZLandline.safeParse(landline).success, landline).toBe(true);
    }
    expect(ZLandline.parse("")).toBeNull();
    expect(ZLandline.parse(undefined)).toBeUndefined();
    for (const landline of ["abc", "call me", "12", "+", "--", "0207 abc 946", "1".repeat(21), "020 7946 0958 ext. 1234567", "=1+2", "+44 20 7946\n0958"]) {
      expect(ZLandline.safeParse(landline).success, landline).toBe(false);
    }
    // The field's own message, which the forms show under it.
    expect(ZLandline.safeParse("abc").error?.issues.map((issue) => issue.message)).toEqual([
      "Enter a phone number: digits, spaces, +, -, ( ) and an extension such as “ext. 12”",
    ]);
  });
  it("accepts ids only within PostgreSQL's bigint", () => {
    expect(ZEntityId("x").safeParse("9223372036854775807").success).toBe(true);
    expect(ZEntityId("x").safeParse("9223372036854775808").success).toBe(false);
    expect(ZEntityId("x").safeParse("-1").success).toBe(false);
    expect(ZEntityId("x").safeParse("abc").success).toBe(false);
  });
});

describe("CSV cells", () => {
  it("quote what needs quoting and guard formulas, which the importer unguards", async () => {
    const { csvCell, unguardCell } = await import("@/server/members/csv");
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell('a "b", c')).toBe('"a ""b"", c"');
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+447400123456")).toBe("+447400123456");
    expect(csvCell(null)).toBe("");
    expect(unguardCell("'=1+1")).toBe("=1+1");
    expect(unguardCell("'plain")).toBe("'plain");
  });
});
