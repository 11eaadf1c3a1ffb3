import { type TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { ALWAYS, MUTATION_STEP_UP, SENSITIVE_OPERATIONS, type TMutationPath, type TMutationStepUp, type TSensitiveOperation } from "@/server/auth/sensitive-operations";
import { appRouter } from "@/server/trpc/root";
import { TEST_PASSWORD } from "../support/factories";
import { MUTATION_INPUTS, walkerScene, type TCall, type TInputFactory, type TWalkerScene } from "./step-up-walker-inputs";

// Walks every mutation procedure of the app router with sessions whose last
// proof is six minutes old, and checks each demands a fresh step-up exactly
// as server/auth/sensitive-operations.ts says: the named operation for each
// triggering input (and, once stepped up, the same call goes through), and no
// step-up for the calm input. A new mutation must be added to the table (and
// given inputs here) or this file fails.

const SIX_MINUTES = 6 * 60 * 1000;
// At run time _def.procedures is flat, keyed by the dotted path (its declared type is the nested record).
const mutationPaths = Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>)
  .filter(([, procedure]) => procedure._def.type === "mutation")
  .map(([path]) => path)
  .sort();

const tableOf = (path: string): TMutationStepUp | undefined => (MUTATION_STEP_UP as Record<string, TMutationStepUp>)[path];
const triggersOf = (entry: TMutationStepUp) => ("triggers" in entry ? entry.triggers : []);

/** Every session of the scene's tenant proved its factor six minutes ago: none counts any more. */
const makeStale = (scene: TWalkerScene) => db().session.updateMany({ where: { tenantId: scene.tenant.id }, data: { steppedUpAt: new Date(Date.now() - SIX_MINUTES) } });

function callProcedure(scene: TWalkerScene, path: string, call: TCall): Promise<unknown> {
  const target = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], call.caller ?? scene.caller);
  return (target as (input: unknown) => Promise<unknown>)(call.input);
}

async function outcomeOf(promise: Promise<unknown>): Promise<{ ok: true } | { ok: false; error: TRPCError }> {
  return promise.then(
    () => ({ ok: true as const }),
    (error: unknown) => ({ ok: false as const, error: error as TRPCError }),
  );
}

/** Succeeded, or refused with the refusal the factory expected; in no case for want of a step-up. */
function expectDone(outcome: Awaited<ReturnType<typeof outcomeOf>>, call: TCall) {
  if (!outcome.ok) expect(outcome.error.cause, outcome.error.message).not.toBeInstanceOf(StepUpRequiredError);
  if (call.refusal) expect(outcome.ok ? "succeeded" : outcome.error.code).toBe(call.refusal);
  else expect(outcome.ok ? "succeeded" : `${outcome.error.code}: ${outcome.error.message}`).toBe("succeeded");
}

async function staleCall(factory: TInputFactory, path: string) {
  const scene = await walkerScene();
  const call = await factory(scene);
  await makeStale(scene);
  return { scene, call, outcome: await outcomeOf(callProcedure(scene, path, call)) };
}

describe("the table of sensitive operations covers every mutation", () => {
  it("lists every mutation procedure of the router, and nothing else", () => {
    expect(mutationPaths.length).toBeGreaterThan(40);
    expect(Object.keys(MUTATION_STEP_UP).sort()).toEqual(mutationPaths);
  });

  it("names only known operations, each triggered by some procedure, and gives inputs for each trigger", () => {
    const triggered = new Set<string>();
    for (const [path, entry] of Object.entries(MUTATION_STEP_UP) as [TMutationPath, TMutationStepUp][]) {
      const inputs = MUTATION_INPUTS[path];
      const triggers = triggersOf(entry);
      for (const { operation } of triggers) {
        triggered.add(operation);
        expect(inputs.triggers?.[operation]?.length ?? 0, `${path}: an input that triggers ${operation}`).toBeGreaterThan(0);
      }
      expect(Object.keys(inputs.triggers ?? {}).sort(), `${path}: trigger inputs match the table`).toEqual([...new Set(triggers.map((trigger) => trigger.operation))].sort());
      // A calm input exists exactly when some call of the procedure is not sensitive.
      const everyCall = triggers.some((trigger) => trigger.when === ALWAYS);
      expect(inputs.calm !== undefined, `${path}: a calm input ${everyCall ? "cannot exist" : "is needed"}`).toBe(!everyCall);
    }
    expect([...triggered].sort()).toEqual(Object.keys(SENSITIVE_OPERATIONS).sort());
  });
});

describe.each(mutationPaths)("%s with a stale step-up", (path) => {
  const entry = tableOf(path);
  const inputs = (MUTATION_INPUTS as Record<string, (typeof MUTATION_INPUTS)[TMutationPath] | undefined>)[path];
  if (!entry || !inputs) {
    it("is in the table of sensitive operations", () => expect.fail(`${path} is not in server/auth/sensitive-operations.ts (or has no inputs here)`));
    return;
  }

  if (inputs.calm) {
    const calm = inputs.calm;
    it(`goes on without a step-up when no trigger applies (${"notSensitive" in entry ? entry.notSensitive : "calm input"})`, async () => {
      const { call, outcome } = await staleCall(calm, path);
      expectDone(outcome, call);
    });
  }

  for (const [operation, factories] of Object.entries(inputs.triggers ?? {}) as [TSensitiveOperation, TInputFactory[]][]) {
    factories.forEach((factory, index) => {
      it(`demands a step-up for ${operation} (input ${index + 1}), then goes through once stepped up`, async () => {
        const { scene, call, outcome } = await staleCall(factory, path);
        expect(outcome.ok, "refused for want of a step-up").toBe(false);
        if (outcome.ok) return;
        expect(outcome.error.code).toBe("FORBIDDEN");
        expect(outcome.error.cause).toBeInstanceOf(StepUpRequiredError);
        expect((outcome.error.cause as StepUpRequiredError).operation).toBe(operation);

        const caller = call.caller ?? scene.caller;
        await caller.auth.stepUp({ method: "password", secret: TEST_PASSWORD });
        expectDone(await outcomeOf(callProcedure(scene, path, call)), call);
      });
    });
  }
});
