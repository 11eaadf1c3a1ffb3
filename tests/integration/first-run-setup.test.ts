import { type TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { SETUP_CODE_LIMIT, issueSetupCode, normaliseSetupCode } from "@/server/tenants/setup-code";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { validFirstTenantInput } from "../support/inputs";

// Its own file, hence its own empty database: setup exists only while no organisation does.
// The tests run in order: the organisation is created by the last but one.

const anonymousCaller = async () => createCaller(await createContextForSessionId(null));
const fieldErrorsOf = (error: unknown) => (error as TRPCError & { cause?: { fieldErrors?: Record<string, string[]> } }).cause?.fieldErrors ?? {};

describe("first-run setup", () => {
  const input = validFirstTenantInput;

  it("is refused without the setup code of the server log, and nothing is created", async () => {
    const caller = await anonymousCaller();
    // Nobody started a server yet: no code exists, so nothing can claim the installation.
    await expect(caller.setup.createFirstTenant(input)).rejects.toMatchObject({ code: "BAD_REQUEST", message: /No setup code/ });

    const issued = await issueSetupCode(db());
    expect(issued?.code).toMatch(/^[A-Z2-9]{4}(?:-[A-Z2-9]{4}){3}$/);
    const error = await caller.setup.createFirstTenant({ ...input, setupCode: "AAAA-BBBB-CCCC-DDDD" }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: /not the setup code/ });
    expect(fieldErrorsOf(error).setupCode?.[0]).toMatch(/not the setup code/);
    expect(await db().tenant.count()).toBe(0);
    expect(await db().user.count()).toBe(0);

    // Only a hash is stored: the log is the only place the code can be read.
    const stored = await db().setupCode.findUniqueOrThrow({ where: { id: 1 } });
    expect(stored.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.codeHash).not.toContain(normaliseSetupCode(issued!.code));
  });

  it("throttles wrong codes, so that even the right one waits once the limit is reached; a restart issues a new code", async () => {
    const caller = await anonymousCaller();
    const issued = await issueSetupCode(db());
    const wrong = await Promise.allSettled(
      Array.from({ length: SETUP_CODE_LIMIT.attempts + 3 }, (_, index) => caller.setup.createFirstTenant({ ...input, setupCode: `WRONG-${index}` })),
    );
    expect(wrong.every((result) => result.status === "rejected")).toBe(true);
    expect((await db().setupCode.findUniqueOrThrow({ where: { id: 1 } })).failedAttempts).toBe(SETUP_CODE_LIMIT.attempts);
    await expect(caller.setup.createFirstTenant({ ...input, setupCode: issued!.code })).rejects.toMatchObject({ message: /Too many wrong setup codes/ });
    expect(await db().tenant.count()).toBe(0);

    const restarted = await issueSetupCode(db());
    expect(restarted!.code).not.toBe(issued!.code);
    await expect(caller.setup.createFirstTenant({ ...input, setupCode: issued!.code })).rejects.toMatchObject({ message: /not the setup code/ });
  });

  it("holds the owner's password to the same policy as every other password", async () => {
    const caller = await anonymousCaller();
    await issueSetupCode(db(), input.setupCode);
    for (const password of ["aaaaaaaaaaaaaaaaaaaa", "olive-owner-secret-words", "123456789012345678"]) {
      const error = await caller.setup.createFirstTenant({ ...input, password, passwordConfirmation: password }).catch((caught: unknown) => caught);
      expect(error, password).toMatchObject({ code: "BAD_REQUEST" });
      expect(fieldErrorsOf(error).password?.length, password).toBeGreaterThan(0);
    }
    expect(await db().tenant.count()).toBe(0);
  });

  it("creates the first organisation and its owner exactly once, even when submitted twice at the same moment; the code is used up", async () => {
    const caller = await anonymousCaller();
    // An operator's SETUP_CODE is typed with other case and spacing.
    await issueSetupCode(db(), input.setupCode);
    expect(await caller.setup.status()).toEqual({ needed: true, defaultOrganisation: null });
    const typed = { ...input, setupCode: ` ${input.setupCode.toUpperCase().replaceAll("-", " ")} ` };
    const results = await Promise.allSettled([caller.setup.createFirstTenant(typed), caller.setup.createFirstTenant(typed)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((result) => result.status === "rejected");
    expect((rejected?.reason as TRPCError).code).toBe("CONFLICT");

    expect(await caller.setup.status()).toEqual({ needed: false, defaultOrganisation: "acme" });
    const owner = await db().user.findFirstOrThrow({ where: { username: "olive" } });
    expect(owner.sysAdmin).toBe(2);
    expect(owner.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await db().setupCode.count()).toBe(0);
  });

  it("issues no code once set up", async () => {
    const caller = await anonymousCaller();
    expect(await issueSetupCode(db())).toBeNull();
    expect(await db().setupCode.count()).toBe(0);
    await expect(caller.setup.createFirstTenant({ ...input, organisationSlug: "other" })).rejects.toMatchObject({ code: "CONFLICT" });
    expect(await db().tenant.count()).toBe(1);
  });
});
