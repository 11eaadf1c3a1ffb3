import { describe, expect, it } from "vitest";
import { HARD_TEXT_LIMIT, zLine, zSecret, zText } from "@/server/validation/text";
import { ZMemberListInput, ZMemberCreate } from "@/server/members/schemas";
import { ZForgotPassword } from "@/server/auth/forgot-password-schemas";
import { ZLifecycleActionInput } from "@/server/lifecycle/schemas";

// Issue 10 item 9: the one text rule (server/validation/text.ts) refuses control characters and lone surrogates at the boundary.

describe("the shared text schemas", () => {
  it("refuse NUL, other C0 and C1 control characters in a line", () => {
    for (const value of ["a\u0000b", "\u0007", "a\u001bb", "a\u007fb", "a\u0085b", "a\u009bb", "a\tb", "a\nb"]) {
      expect(zLine().safeParse(value).success, JSON.stringify(value)).toBe(false);
    }
  });

  it("let multi-line text keep tabs and line breaks, but not NUL", () => {
    expect(zText().parse(" one\r\n\ttwo ")).toBe("one\r\n\ttwo");
    expect(zText().safeParse("one\u0000two").success).toBe(false);
  });

  it("refuse lone surrogates and keep real astral characters and other scripts", () => {
    expect(zLine().safeParse("a\ud800b").success).toBe(false);
    expect(zLine().safeParse("\udc00").success).toBe(false);
    expect(zLine().parse("Zoë 😀 Łódź 東京 \u202eok")).toBe("Zoë 😀 Łódź 東京 \u202eok");
  });

  it("trim lines but never secrets", () => {
    expect(zLine().parse("  Ada  ")).toBe("Ada");
    expect(zSecret().parse("  pass phrase  ")).toBe("  pass phrase  ");
    expect(zSecret().safeParse("pass\u0000").success).toBe(false);
  });

  it("refuse a huge string by its length alone", () => {
    expect(zLine().safeParse("x".repeat(HARD_TEXT_LIMIT + 1)).success).toBe(false);
  });

  it("are what the schemas the attack reached use", () => {
    expect(ZMemberListInput.safeParse({ search: "ad\u0000" }).success).toBe(false);
    expect(ZForgotPassword.safeParse({ organisation: "acme", login: "ada\u0000" }).success).toBe(false);
    expect(ZLifecycleActionInput.safeParse({ action: "lock", memberIds: ["1"], reason: "x\u0000" }).success).toBe(false);
    const member = { firstName: "Ada", lastName: "Lovelace", username: "ada", email: "ada@example.test", mobile: "+447911123456", country: "GB" };
    expect(ZMemberCreate.safeParse(member).success).toBe(true);
    expect(ZMemberCreate.safeParse({ ...member, title: "Chief\u0000" }).success).toBe(false);
  });
});
