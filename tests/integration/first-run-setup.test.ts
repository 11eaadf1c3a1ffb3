import { type TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { validFirstTenantInput } from "../support/inputs";

// Its own file, hence its own empty database: setup exists only while no organisation does.

const anonymousCaller = async () => createCaller(await createContextForSessionId(null));

describe("first-run setup", () => {
  const input = validFirstTenantInput;

  it("creates the first organisation and its owner exactly once, even when submitted twice at the same moment", async () => {
    const caller = await anonymousCaller();
    expect(await caller.setup.status()).toEqual({ needed: true, defaultOrganisation: null });
    const results = await Promise.allSettled([caller.setup.createFirstTenant(input), caller.setup.createFirstTenant(input)]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((result) => result.status === "rejected");
    expect((rejected?.reason as TRPCError).code).toBe("CONFLICT");

    expect(await caller.setup.status()).toEqual({ needed: false, defaultOrganisation: "acme" });
    const owner = await db().user.findFirstOrThrow({ where: { username: "olive" } });
    expect(owner.sysAdmin).toBe(2);
    expect(owner.passwordHash).toMatch(/^\$argon2id\$/);
    await expect(caller.setup.createFirstTenant({ ...input, organisationSlug: "other" })).rejects.toMatchObject({ code: "CONFLICT" });
  });
});
