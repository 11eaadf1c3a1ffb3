import { invalidPath, invalidSyntax, invalidValue, noTarget } from "@/server/scim/scim-errors";
import { parseFilter, type TFilter } from "@/server/scim/scim-filter";

// PATCH (RFC 7644 §3.5.2) applied to the resource's current JSON: the result
// is then written as a PUT would be, through the same validation and
// lifecycle. This is how every client's PATCH form is accepted: op names in
// any case ("Replace"), with or without a path, dotted or URN-prefixed paths,
// value filters (emails[type eq "work"].value), and Entra's "no path, dotted
// keys" form ({"op":"replace","value":{"name.givenName":"Ada"}}).

export const PATCH_OP_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const MAX_PATCH_OPERATIONS = 1_000;

type TJson = Record<string, unknown>;
type TOperation = { op: "add" | "replace" | "remove"; path: string | null; value: unknown };

const isObject = (value: unknown): value is TJson => typeof value === "object" && value !== null && !Array.isArray(value);

export function keyOf(object: TJson, name: string): string {
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower) ?? name;
}

function parseOperations(body: unknown): TOperation[] {
  if (!isObject(body)) throw invalidSyntax("A PATCH body is a PatchOp message");
  const operations = body[keyOf(body, "Operations")];
  if (!Array.isArray(operations) || operations.length === 0) throw invalidSyntax("A PATCH body needs Operations, a non-empty array");
  if (operations.length > MAX_PATCH_OPERATIONS) throw invalidSyntax(`At most ${MAX_PATCH_OPERATIONS} operations per PATCH`);
  return operations.map((raw) => {
    if (!isObject(raw)) throw invalidSyntax("Each operation is an object with op, path and value");
    const op = raw[keyOf(raw, "op")];
    const path = raw[keyOf(raw, "path")];
    const name = typeof op === "string" ? op.toLowerCase() : "";
    if (name !== "add" && name !== "replace" && name !== "remove") throw invalidSyntax(`Unknown PATCH op “${String(op).slice(0, 20)}”: add, replace or remove`);
    if (path !== undefined && path !== null && typeof path !== "string") throw invalidPath("A path is a string");
    return { op: name, path: typeof path === "string" && path.trim() !== "" ? path.trim() : null, value: raw[keyOf(raw, "value")] };
  });
}

/** A value filter on one element of a multi-valued attribute (emails[type eq "work"]). */
export function matchesFilter(filter: TFilter, element: unknown): boolean {
  const object = isObject(element) ? element : { value: element };
  switch (filter.kind) {
    case "and":
      return matchesFilter(filter.left, element) && matchesFilter(filter.right, element);
    case "or":
      return matchesFilter(filter.left, element) || matchesFilter(filter.right, element);
    case "not":
      return !matchesFilter(filter.filter, element);
    case "present": {
      const value = object[keyOf(object, filter.path)];
      return value !== undefined && value !== null && value !== "";
    }
    case "valuePath":
      return false;
    case "compare": {
      const actual = object[keyOf(object, filter.path)];
      const left = typeof actual === "string" ? actual.toLowerCase() : typeof actual === "number" || typeof actual === "boolean" ? String(actual).toLowerCase() : "";
      const right = typeof filter.value === "string" ? filter.value.toLowerCase() : String(filter.value).toLowerCase();
      switch (filter.operator) {
        case "eq":
          return actual !== undefined && left === right;
        case "ne":
          return left !== right;
        case "co":
          return left.includes(right);
        case "sw":
          return left.startsWith(right);
        case "ew":
          return left.endsWith(right);
        case "gt":
          return left > right;
        case "ge":
          return left >= right;
        case "lt":
          return left < right;
        case "le":
          return left <= right;
      }
    }
  }
}

/** The element a value filter's equalities describe, for an add or replace that matched nothing. */
function elementFromFilter(filter: TFilter): TJson {
  if (filter.kind === "compare" && filter.operator === "eq") return { [filter.path]: filter.value };
  if (filter.kind === "and") return { ...elementFromFilter(filter.left), ...elementFromFilter(filter.right) };
  return {};
}

type TPath = { container: TJson; attribute: string; filter: TFilter | null; sub: string | null };

function resolvePath(resource: TJson, rawPath: string, schemas: readonly string[]): TPath {
  let path = rawPath;
  let container = resource;
  const schema = schemas.find((urn) => path.toLowerCase().startsWith(`${urn.toLowerCase()}:`) || path.toLowerCase() === urn.toLowerCase());
  if (schema) {
    path = path.slice(schema.length + 1);
    // The core schema's attributes sit at the top; an extension's inside its own object.
    if (!schema.includes(":core:")) {
      const key = keyOf(resource, schema);
      if (!isObject(resource[key])) resource[key] = {};
      container = resource[key] as TJson;
    }
    if (path === "") throw invalidPath(`“${rawPath}” names a schema, not an attribute`);
  }
  const match = /^([A-Za-z][\w$-]*)(?:\[(.*)\])?(?:\.([A-Za-z][\w$-]*))?$/s.exec(path);
  if (!match) throw invalidPath(`“${rawPath.slice(0, 200)}” is not a valid attribute path`);
  let filter: TFilter | null = null;
  if (match[2] !== undefined) {
    try {
      filter = parseFilter(match[2]);
    } catch {
      throw invalidPath(`The value filter of “${rawPath.slice(0, 200)}” is not valid`);
    }
  }
  return { container, attribute: keyOf(container, match[1]!), filter, sub: match[3] ?? null };
}

function setValue(target: TJson, key: string, value: unknown, op: "add" | "replace"): void {
  const existing = target[key];
  if (op === "add" && Array.isArray(existing)) {
    target[key] = [...(existing as unknown[]), ...(Array.isArray(value) ? (value as unknown[]) : [value])];
  } else if (op === "add" && isObject(existing) && isObject(value)) {
    target[key] = { ...existing, ...value };
  } else {
    target[key] = value;
  }
}

function applyWithoutPath(resource: TJson, operation: TOperation, schemas: readonly string[]): void {
  if (operation.op === "remove") throw noTarget("A remove operation needs a path");
  if (!isObject(operation.value)) throw invalidValue("An operation without a path carries an object of attributes as its value");
  for (const [name, value] of Object.entries(operation.value)) {
    const schema = schemas.find((urn) => urn.toLowerCase() === name.toLowerCase());
    if (schema && !schema.includes(":core:") && isObject(value)) {
      const key = keyOf(resource, schema);
      resource[key] = { ...(isObject(resource[key]) ? resource[key] : {}), ...value };
    } else if (schema) {
      // The core schema's URN as a key: its attributes, at the top.
      applyWithoutPath(resource, { ...operation, value }, schemas);
    } else {
      applyWithPath(resource, { ...operation, path: name, value }, schemas);
    }
  }
}

function applyWithPath(resource: TJson, operation: TOperation, schemas: readonly string[]): void {
  const { container, attribute, filter, sub } = resolvePath(resource, operation.path!, schemas);
  if (filter === null) {
    if (operation.op === "remove") {
      if (sub) {
        const parent = container[attribute];
        if (isObject(parent)) delete parent[keyOf(parent, sub)];
      } else if (Array.isArray(container[attribute]) && operation.value !== undefined) {
        // Entra: {"op":"remove","path":"members","value":[{"value":"id"}]} removes those members only.
        const removed = (Array.isArray(operation.value) ? operation.value : [operation.value]).map((item) => String(isObject(item) ? item[keyOf(item, "value")] : item));
        container[attribute] = (container[attribute] as unknown[]).filter((element) => !removed.includes(String(isObject(element) ? element[keyOf(element, "value")] : element)));
      } else {
        delete container[attribute];
      }
      return;
    }
    if (sub) {
      const existing = container[attribute];
      const parent = isObject(existing) ? existing : {};
      container[attribute] = parent;
      setValue(parent, keyOf(parent, sub), operation.value, operation.op);
    } else {
      setValue(container, attribute, operation.value, operation.op);
    }
    return;
  }

  const elements = Array.isArray(container[attribute]) ? (container[attribute] as unknown[]) : [];
  const matching = elements.filter((element) => matchesFilter(filter, element));
  if (operation.op === "remove") {
    if (sub) {
      for (const element of matching) if (isObject(element)) delete element[keyOf(element, sub)];
    } else {
      container[attribute] = elements.filter((element) => !matching.includes(element));
    }
    return;
  }
  if (matching.length === 0) {
    // Entra replaces emails[type eq "work"].value on a user who has no work email yet: the element is made.
    const created = elementFromFilter(filter);
    if (sub) created[sub] = operation.value;
    else if (isObject(operation.value)) Object.assign(created, operation.value);
    container[attribute] = [...elements, created];
    return;
  }
  for (const element of matching) {
    if (!isObject(element)) continue;
    if (sub) element[keyOf(element, sub)] = operation.value;
    else if (isObject(operation.value)) Object.assign(element, operation.value);
  }
}

/** The resource after the PATCH's operations, in order; the input is not changed. */
export function applyPatch<T extends object>(resource: T, body: unknown, schemas: readonly string[]): TJson {
  const copy = structuredClone(resource) as TJson;
  for (const operation of parseOperations(body)) {
    if (operation.path === null) applyWithoutPath(copy, operation, schemas);
    else applyWithPath(copy, operation, schemas);
  }
  return copy;
}
