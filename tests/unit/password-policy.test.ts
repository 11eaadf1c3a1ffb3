import { describe, expect, it } from "vitest";
import { isInPackedList, packPasswordList } from "@/server/auth/common-passwords";
import { lockoutDuration } from "@/server/auth/lockout";
import { PASSWORD_PROBLEM, passwordPolicyProblems, personalTokens } from "@/server/auth/password-policy";
import { minutesUntil } from "@/server/auth/rate-limits";
import { newPasswordSchema, passwordLength } from "@/server/validation/password";

describe("the packed common-password list", () => {
  const list = packPasswordList(["123456", "Password1", "letmein!!", "Zürich2024", "dragon", "letmein!!", "trustno1x"]);

  it("keeps only entries a policy could accept (8+ characters), once, in any letter case", () => {
    expect(list.count).toBe(4);
    for (const entry of ["password1", "PASSWORD1", "letmein!!", "zürich2024", "TRUSTNO1X"]) expect(isInPackedList(list, entry)).toBe(true);
    for (const entry of ["123456", "dragon", "password", "password12", "", "zzzzzzzzzz"]) expect(isInPackedList(list, entry)).toBe(false);
  });

  it("finds every entry of a larger sorted list by binary search", () => {
    const entries = Array.from({ length: 5000 }, (_, index) => `entry-${index.toString(36).padStart(4, "0")}`);
    const large = packPasswordList(entries);
    expect(entries.every((entry) => isInPackedList(large, entry))).toBe(true);
    expect(isInPackedList(large, "entry-zzzzz")).toBe(false);
  });
});

describe("password rules", () => {
  const rules = { minLength: 15, personal: ["Grace", "Hopper", "Grace Hopper", "ghopper", "grace.hopper@navy.test"] };

  it("counts Unicode code points after NFKC, as NIST does", () => {
    expect(passwordLength("abc")).toBe(3);
    expect(passwordLength("🐢🐇")).toBe(2);
    expect(passwordLength("e\u0301")).toBe(1);
    expect(newPasswordSchema(8).safeParse("🐢🐇🦊🦉🐝🦋🐙🦀").success).toBe(true);
    expect(newPasswordSchema(9).safeParse("🐢🐇🦊🦉🐝🦋🐙🦀").success).toBe(false);
  });

  it("accepts a long passphrase of any characters, with no composition rules", () => {
    expect(passwordPolicyProblems("lowercase words only here", rules)).toEqual([]);
    expect(passwordPolicyProblems("   spaces   are   fine   ", rules)).toEqual([]);
  });

  it("refuses repetitive and sequential runs, digits wrapping around", () => {
    for (const dull of ["zzzzzzzzzzzzzzzz", "abcdefghijklmnop", "ponmlkjihgfedcba", "789012345678901"]) {
      expect(passwordPolicyProblems(dull, rules)).toEqual([PASSWORD_PROBLEM.repetitive]);
    }
  });

  it("refuses the member's own names, username and email (local part)", () => {
    expect(personalTokens(rules.personal)).toEqual(expect.arrayContaining(["grace", "hopper", "grace hopper", "ghopper", "grace.hopper"]));
    expect(personalTokens(["Al", "x@y.z"])).toEqual([]);
    expect(passwordPolicyProblems("my friend grace likes tea", rules)).toEqual([PASSWORD_PROBLEM.personal]);
    expect(passwordPolicyProblems("GHOPPER and some more words", rules)).toEqual([PASSWORD_PROBLEM.personal]);
    expect(passwordPolicyProblems("graceful tea in the evening", rules)).toEqual([PASSWORD_PROBLEM.personal]);
  });
});

describe("lockout and rate-limit arithmetic", () => {
  const policy = { lockoutDurationMinutes: 15, lockoutGrowthFactor: 2, lockoutMaxDurationMinutes: 120 };
  it("grows each repeat by the factor, up to the cap", () => {
    expect([0, 1, 2, 3, 4, 50].map((previous) => lockoutDuration(policy, previous) / 60_000)).toEqual([15, 30, 60, 120, 120, 120]);
    expect(lockoutDuration({ ...policy, lockoutGrowthFactor: 1 }, 5) / 60_000).toBe(15);
  });
  it("rounds the wait up to whole minutes, at least one", () => {
    const now = new Date("2026-01-01T10:00:00Z");
    expect(minutesUntil(new Date("2026-01-01T10:00:01Z"), now)).toBe(1);
    expect(minutesUntil(new Date("2026-01-01T10:09:30Z"), now)).toBe(10);
    expect(minutesUntil(new Date("2026-01-01T09:59:00Z"), now)).toBe(1);
  });
});
