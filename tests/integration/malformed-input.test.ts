import { TRPCError } from "@trpc/server";
import fc from "fast-check";
import type { z } from "zod";
import { describe, expect, it } from "vitest";
import { createContextForSessionId } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant } from "../support/factories";
import { coreExamplesFor, malformedInputFor } from "../support/malformed-input";

// Issue 10 item 9: whatever anyone sends to whatever procedure, the answer is a
// clear refusal (or a success), never INTERNAL_SERVER_ERROR, and never a
// database's own words.

const RUNS_PER_PROCEDURE = 20;
const DATABASE_WORDS = /prisma|postgres|violates|invalid input syntax|out of range|unicode escape|0x00|relation "|column "|\bSQL\b|\$queryRaw|\$executeRaw|invalid `/i;

type TProcedure = { _def: { inputs: z.ZodType[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, TProcedure>);

function callByPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const segments = path.split(".");
  let target = caller as Record<string, unknown>;
  for (const segment of segments) target = target[segment] as Record<string, unknown>;
  return (target as unknown as (value: unknown) => Promise<unknown>)(input);
}

/** The refusal, checked: any tRPC code but INTERNAL_SERVER_ERROR, worded without the database. */
async function expectNoServerError(path: string, promise: Promise<unknown>, input: unknown) {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (error === null) return;
  const describeInput = () => `${path} ${JSON.stringify(input)?.slice(0, 300)}`;
  expect(error, describeInput()).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect(trpcError.code, `${describeInput()}: ${String(trpcError.cause ?? trpcError.message)}`).not.toBe("INTERNAL_SERVER_ERROR");
  expect(trpcError.message, describeInput()).not.toMatch(DATABASE_WORDS);
}

async function callers() {
  const tenant = await createTenant();
  const member = await createSignedInMember(tenant.id, { role: "member" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  return {
    anonymous: createCaller(await createContextForSessionId(null, { ipAddress: "203.0.113.90", userAgent: "fuzz" })),
    member: createCaller(await createContextForSessionId(member.sessionId, { ipAddress: "203.0.113.91", userAgent: "fuzz" })),
    admin: createCaller(await createContextForSessionId(admin.sessionId, { ipAddress: "203.0.113.92", userAgent: "fuzz" })),
  };
}

describe("malformed input to every procedure", () => {
  it("walks all the app router's procedures", () => {
    expect(procedures.length).toBeGreaterThan(80);
    expect(procedures.map(([path]) => path)).toEqual(expect.arrayContaining(["members.list", "members.update", "lifecycle.run", "auth.passwordReset.request"]));
  });

  for (const role of ["anonymous", "member", "admin"] as const) {
    it(`never answers INTERNAL_SERVER_ERROR or a database message to the ${role} caller`, { timeout: 240_000 }, async () => {
      const caller = (await callers())[role];
      for (const [path, procedure] of procedures) {
        const schema = procedure._def.inputs[0];
        // The examples put each class of bad value at each field once; the random runs mix the rest.
        await fc.assert(
          fc.asyncProperty(malformedInputFor(schema), (input) => expectNoServerError(path, callByPath(caller, path, input), input)),
          { numRuns: RUNS_PER_PROCEDURE, examples: coreExamplesFor(schema), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000) },
        );
      }
      // The caller was still signed in at the end: the calls reached past the guards, not just UNAUTHORIZED.
      if (role !== "anonymous") await expect(caller.me.get()).resolves.toMatchObject({ role: role === "admin" ? "admin" : "member" });
    });
  }
});
