import { describe, expect, it } from "vitest";
import { hashPassword, verifyAgainstDecoy, verifyPassword } from "@/server/auth/password";

describe("password hashing", () => {
  it("hashes with argon2id (19 MiB, 2 passes, 1 lane) and a fresh salt each time", async () => {
    const first = await hashPassword("a long enough passphrase");
    const second = await hashPassword("a long enough passphrase");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
  });
  it("verifies the right password only, and never throws on a malformed hash", async () => {
    const stored = await hashPassword("a long enough passphrase");
    expect(await verifyPassword(stored, "a long enough passphrase")).toBe(true);
    expect(await verifyPassword(stored, "a long enough passphrasE")).toBe(false);
    expect(await verifyPassword("not-a-hash", "anything")).toBe(false);
  });
  it("the decoy check always fails", async () => {
    expect(await verifyAgainstDecoy("tenure-decoy-password-never-valid")).toBe(false);
  });
});
