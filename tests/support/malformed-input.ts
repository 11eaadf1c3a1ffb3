import fc from "fast-check";
import type { z } from "zod";

// Generated input for every procedure: a value shaped like the procedure's own
// zod schema (so the request gets past the first checks), with one part
// replaced by something malformed. Reads zod 4's schema definitions (`_zod.def`).

type TDef = { type: string; [key: string]: unknown };
const defOf = (schema: unknown): TDef => (schema as { _zod: { def: TDef } })._zod.def;

/** Ids that exist nowhere (so no generated call acts on the test's own callers), at bigint's edge. */
const PLAUSIBLE_IDS = ["424242", "9223372036854775807"];

/** A string the field named `key` accepts, so the spoiled field is the one that is wrong. */
function plausibleString(key: string): fc.Arbitrary<unknown> {
  if (/ids?$/i.test(key)) return fc.constantFrom(...PLAUSIBLE_IDS);
  if (/cursor/i.test(key)) return fc.constant(undefined);
  if (/email/i.test(key)) return fc.constant("ada@example.test");
  if (/mobile/i.test(key)) return fc.constant("+447911123456");
  if (/country/i.test(key)) return fc.constant("GB");
  if (/permission/i.test(key)) return fc.constant("members:read");
  if (/organisation|slug/i.test(key)) return fc.constant("demo-org");
  if (/date/i.test(key)) return fc.constant("2031-01-01T10:00:00.000Z");
  if (/token/i.test(key)) return fc.constant("a".repeat(43));
  if (/url/i.test(key)) return fc.constant("https://example.test/a.png");
  if (/action/i.test(key)) return fc.constant("member.");
  if (/username|login/i.test(key)) return fc.constant("ada.lovelace");
  return fc.constantFrom("Ada", "Lovelace", "A fine reason");
}

const badCursors = [
  Buffer.from(JSON.stringify(["name", "\u0000", "1"])).toString("base64url"),
  Buffer.from(JSON.stringify(["name", "a", "12345678901234567890123456"])).toString("base64url"),
  Buffer.from(JSON.stringify(["created", "not a date", "1"])).toString("base64url"),
  Buffer.from(JSON.stringify(["created", "1", "1"])).toString("base64url"),
  Buffer.from(JSON.stringify(["lastOnline", "-271821-04-20T00:00:00.000Z", "1"])).toString("base64url"),
  Buffer.from(JSON.stringify(["2024-13-45T99:99:99Z", "12345678901234567890123456"])).toString("base64url"),
  Buffer.from(JSON.stringify(["-271821-04-20T00:00:00.000Z", "1"])).toString("base64url"),
];

/** Tried at every leaf of every procedure's input (besides the random runs): the classes the attack used. */
export const CORE_MALFORMED_VALUES: readonly unknown[] = [
  "a\u0000b",
  "\u0007\u009b",
  "\ud800x",
  "x".repeat(200_000),
  "12345678901234567890123456",
  "-271821-04-20T00:00:00.000Z",
  ...badCursors,
  7,
  null,
  { a: { a: { a: [] } } },
];

/** The malformed leaves: control characters, huge or odd Unicode, ids past bigint, broken cursors and dates, wrong types, deep objects. */
export const malformedValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    "\u0000",
    "ada\u0000lovelace",
    "\u0007\u001b[31m\u009b",
    "line\r\nbreak\ttab",
    "\ud800",
    "\udfff\ud800",
    "\u202eevil\u202c",
    "\ufeff\u200b\u2028",
    "😀".repeat(300),
    "x".repeat(200_000),
    "12345678901234567890123456",
    "-1",
    "1e400",
    "0x10",
    "NaN",
    "2024-13-45T99:99:99Z",
    "-271821-04-20T00:00:00.000Z",
    "+275760-09-13T00:00:00.000Z",
    "1",
    "%",
    "/\\evil.example",
    "not base64 at all!",
    ...badCursors,
  ),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x9f }).map((code) => String.fromCharCode(code)), minLength: 1, maxLength: 20 }),
  fc.constantFrom<unknown>(null, true, 0, -1, 1.5, Number.MAX_SAFE_INTEGER, [], {}, [null], { __proto__: null }, new Date(Number.NaN), new Date(-8.64e15)),
  fc.letrec<{ deep: unknown }>((tie) => ({ deep: fc.oneof({ depthSize: "small", maxDepth: 30 }, fc.constant("leaf"), fc.record({ a: tie("deep") }), fc.array(tie("deep"), { maxLength: 2 })) })).deep,
);

/** A value the schema would mostly accept (ids, plausible strings, enum members). */
function plausible(schema: unknown, depth = 0, key = ""): fc.Arbitrary<unknown> {
  const def = defOf(schema);
  if (depth > 8) return fc.constant(undefined);
  switch (def.type) {
    case "object": {
      const shape = def.shape as Record<string, unknown>;
      return fc.record(Object.fromEntries(Object.entries(shape).map(([name, field]) => [name, plausible(field, depth + 1, name)])));
    }
    case "string":
      return plausibleString(key);
    case "number":
      return fc.integer({ min: 1, max: 30 });
    case "boolean":
      return fc.boolean();
    case "date":
      return fc.date({ min: new Date("2000-01-01"), max: new Date("2040-01-01"), noInvalidDate: true });
    case "enum":
      return fc.constantFrom(...Object.values(def.entries as Record<string, unknown>));
    case "literal":
      return fc.constantFrom(...(def.values as unknown[]));
    case "array":
      return fc.array(plausible(def.element, depth + 1, key), { minLength: 1, maxLength: 2 });
    case "tuple":
      return fc.tuple(...(def.items as unknown[]).map((item) => plausible(item, depth + 1, key)));
    case "union":
      return fc.oneof(...(def.options as unknown[]).map((option) => plausible(option, depth + 1, key)));
    case "optional":
    case "nullable":
    case "default":
    case "prefault":
    case "nonoptional":
    case "readonly":
    case "catch":
      return plausible(def.innerType, depth + 1, key);
    case "pipe":
      // A preprocess is a pipe from a transform: what it accepts is what its output schema accepts.
      return defOf(def.in).type === "transform" ? plausible(def.out, depth + 1, key) : plausible(def.in, depth + 1, key);
    case "void":
    case "undefined":
      return fc.constant(undefined);
    default:
      return fc.constantFrom("x", 1, null);
  }
}

/** Every path to a leaf of a generated value, so one of them can be spoiled. */
function leafPaths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value)) return value.flatMap((item, index) => leafPaths(item, [...prefix, index]));
  if (value && typeof value === "object" && !(value instanceof Date)) {
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.length === 0 ? [prefix] : entries.flatMap(([key, item]) => leafPaths(item, [...prefix, key]));
  }
  return [prefix];
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [head, ...rest] = path as [string | number, ...(string | number)[]];
  const copy = (Array.isArray(value) ? [...(value as unknown[])] : { ...(value as Record<string, unknown>) }) as Record<string | number, unknown>;
  copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

/** Malformed input for a procedure whose input schema is `schema` (undefined: takes none). */
export function malformedInputFor(schema: z.ZodType | undefined): fc.Arbitrary<unknown> {
  const base = schema ? plausible(schema) : fc.constant(undefined);
  const spoiled = fc.tuple(base, malformedValue, fc.nat(), fc.integer({ min: 0, max: 9 })).map(([value, bad, pick, dice]) => {
    const extraKey = dice === 0;
    const paths = leafPaths(value);
    const spoiledValue = replaceAt(value, paths[pick % paths.length]!, bad);
    // Sometimes an unknown key as well (strict objects refuse it; plain ones drop it).
    return extraKey && spoiledValue && typeof spoiledValue === "object" && !Array.isArray(spoiledValue) ? { ...spoiledValue, "\u0000key": bad } : spoiledValue;
  });
  // Never the plausible value alone: a whole valid input could change the callers' own policy or sessions mid-test.
  return fc.oneof({ weight: 4, arbitrary: spoiled }, { weight: 1, arbitrary: malformedValue });
}

/** Each core malformed value at each leaf of one plausible input: deterministic examples for fc.assert. */
export function coreExamplesFor(schema: z.ZodType | undefined): [unknown][] {
  if (!schema) return CORE_MALFORMED_VALUES.map((value) => [value]);
  const [base] = fc.sample(plausible(schema), { numRuns: 1, seed: 42 });
  return leafPaths(base).flatMap((path) => CORE_MALFORMED_VALUES.map((value): [unknown] => [replaceAt(base, path, value)]));
}
