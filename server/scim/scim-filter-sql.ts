import { Prisma } from "@/server/db/generated/client";
import { invalidFilter } from "@/server/scim/scim-errors";
import type { TFilter, TFilterValue } from "@/server/scim/scim-filter";

// A parsed filter as SQL: every value is a bound parameter, every column comes
// from the resource's attribute table (an unknown attribute is invalidFilter),
// never from the client's text.

export type TFilterAttribute =
  | { type: "string" | "date" | "boolean" | "id"; sql: Prisma.Sql; indexedEquals?: (value: string) => Prisma.Sql }
  | { type: "constant"; value: string | boolean };

export type TAttributeResolver = (path: string) => TFilterAttribute | null;

const ENTERPRISE_PREFIX = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:";
const CORE_PREFIXES = ["urn:ietf:params:scim:schemas:core:2.0:user:", "urn:ietf:params:scim:schemas:core:2.0:group:"];

/** An attribute path as the tables key it: lower case (names are case-insensitive), core URN dropped, enterprise URN shortened to "enterprise:". */
export function normaliseAttributePath(path: string): string {
  const lower = path.toLowerCase();
  if (lower.startsWith(ENTERPRISE_PREFIX)) return `enterprise:${lower.slice(ENTERPRISE_PREFIX.length)}`;
  const core = CORE_PREFIXES.find((prefix) => lower.startsWith(prefix));
  return core ? lower.slice(core.length) : lower;
}

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (character) => `\\${character}`);

function asDate(value: TFilterValue): Date {
  const date = typeof value === "string" ? new Date(value) : null;
  if (!date || Number.isNaN(date.getTime())) throw invalidFilter("Compare a date with a date (ISO 8601, such as 2026-01-31T00:00:00Z)");
  return date;
}

function compareSql(attribute: TFilterAttribute, operator: string, value: TFilterValue, path: string): Prisma.Sql {
  if (attribute.type === "constant") {
    const holds = operator === "eq" ? String(attribute.value).toLowerCase() === String(value).toLowerCase() : operator === "ne" ? String(attribute.value).toLowerCase() !== String(value).toLowerCase() : null;
    if (holds === null) throw invalidFilter(`“${path}” can only be compared with eq or ne`);
    return holds ? Prisma.sql`TRUE` : Prisma.sql`FALSE`;
  }
  const column = attribute.sql;
  if (value === null) {
    if (operator === "eq") return Prisma.sql`(${column} IS NULL)`;
    if (operator === "ne") return Prisma.sql`(${column} IS NOT NULL)`;
    throw invalidFilter("null can only be compared with eq or ne");
  }
  switch (attribute.type) {
    case "boolean": {
      const flag = typeof value === "boolean" ? value : String(value).toLowerCase() === "true" ? true : String(value).toLowerCase() === "false" ? false : null;
      if (flag === null) throw invalidFilter(`“${path}” is true or false`);
      if (operator === "eq") return Prisma.sql`(${column} = ${flag})`;
      if (operator === "ne") return Prisma.sql`(${column} <> ${flag})`;
      throw invalidFilter(`“${path}” can only be compared with eq or ne`);
    }
    case "id": {
      const text = String(value);
      if (!/^\d{1,18}$/.test(text)) return operator === "ne" ? Prisma.sql`TRUE` : Prisma.sql`FALSE`;
      if (operator === "eq") return Prisma.sql`(${column} = ${BigInt(text)})`;
      if (operator === "ne") return Prisma.sql`(${column} <> ${BigInt(text)})`;
      throw invalidFilter(`“${path}” can only be compared with eq or ne`);
    }
    case "date": {
      const date = asDate(value);
      const operators: Record<string, string> = { eq: "=", ne: "<>", gt: ">", ge: ">=", lt: "<", le: "<=" };
      const sqlOperator = operators[operator];
      if (!sqlOperator) throw invalidFilter(`“${path}” is a date: compare it with eq, ne, gt, ge, lt or le`);
      return Prisma.sql`(${column} ${Prisma.raw(sqlOperator)} ${date})`;
    }
    case "string": {
      if (typeof value !== "string") throw invalidFilter(`“${path}” is a string: compare it with a quoted value`);
      // caseExact is false for every string attribute Tenure serves.
      switch (operator) {
        case "eq":
          return attribute.indexedEquals ? attribute.indexedEquals(value) : Prisma.sql`(lower(${column}::text) = lower(${value}))`;
        case "ne":
          return Prisma.sql`(${column} IS NULL OR lower(${column}::text) <> lower(${value}))`;
        case "co":
          return Prisma.sql`(${column}::text ILIKE ${`%${escapeLike(value)}%`})`;
        case "sw":
          return Prisma.sql`(${column}::text ILIKE ${`${escapeLike(value)}%`})`;
        case "ew":
          return Prisma.sql`(${column}::text ILIKE ${`%${escapeLike(value)}`})`;
        default: {
          const operators: Record<string, string> = { gt: ">", ge: ">=", lt: "<", le: "<=" };
          return Prisma.sql`(lower(${column}::text) ${Prisma.raw(operators[operator]!)} lower(${value}))`;
        }
      }
    }
  }
}

export function filterToSql(filter: TFilter, resolve: TAttributeResolver, prefix = ""): Prisma.Sql {
  const attributeOf = (path: string) => {
    const attribute = resolve(`${prefix}${normaliseAttributePath(path)}`);
    if (!attribute) throw invalidFilter(`Unknown attribute “${prefix}${path}” in the filter`);
    return attribute;
  };
  switch (filter.kind) {
    case "and":
      return Prisma.sql`(${filterToSql(filter.left, resolve, prefix)} AND ${filterToSql(filter.right, resolve, prefix)})`;
    case "or":
      return Prisma.sql`(${filterToSql(filter.left, resolve, prefix)} OR ${filterToSql(filter.right, resolve, prefix)})`;
    case "not":
      return Prisma.sql`(NOT COALESCE(${filterToSql(filter.filter, resolve, prefix)}, FALSE))`;
    case "present": {
      const attribute = attributeOf(filter.path);
      if (attribute.type === "constant") return Prisma.sql`TRUE`;
      return attribute.type === "string" ? Prisma.sql`(${attribute.sql} IS NOT NULL AND ${attribute.sql}::text <> '')` : Prisma.sql`(${attribute.sql} IS NOT NULL)`;
    }
    case "compare":
      return compareSql(attributeOf(filter.path), filter.operator, filter.value, filter.path);
    case "valuePath": {
      if (prefix) throw invalidFilter("Value filters cannot be nested");
      const parent = normaliseAttributePath(filter.path);
      const value = resolve(`${parent}.value`);
      if (!value || value.type === "constant") throw invalidFilter(`“${filter.path}” has no value filter`);
      return Prisma.sql`(${value.sql} IS NOT NULL AND ${filterToSql(filter.filter, resolve, `${parent}.`)})`;
    }
  }
}
