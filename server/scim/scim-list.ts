import { Prisma } from "@/server/db/generated/client";
import { invalidValue, ScimError } from "@/server/scim/scim-errors";
import { parseFilter } from "@/server/scim/scim-filter";
import { filterToSql, normaliseAttributePath, type TAttributeResolver } from "@/server/scim/scim-filter-sql";

// The query of a list request (RFC 7644 §3.4.2): filter, startIndex/count,
// sortBy/sortOrder, attributes/excludedAttributes.

export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1_000;

export type TListQuery = { where: Prisma.Sql; startIndex: number; count: number; orderBy: Prisma.Sql };

function positiveInteger(raw: string | null, name: string, fallback: number): number {
  if (raw === null || raw.trim() === "") return fallback;
  if (!/^-?\d{1,9}$/.test(raw.trim())) throw invalidValue(`${name} is a whole number`);
  return Number(raw.trim());
}

export function listQuery(params: URLSearchParams, resolve: TAttributeResolver, sortColumns: Record<string, Prisma.Sql> & { id: Prisma.Sql }): TListQuery {
  const rawFilter = params.get("filter");
  const where = rawFilter && rawFilter.trim() !== "" ? filterToSql(parseFilter(rawFilter), resolve) : Prisma.sql`TRUE`;
  // RFC 7644: a startIndex below 1 is 1; a negative count is 0.
  const startIndex = Math.max(1, positiveInteger(params.get("startIndex"), "startIndex", 1));
  const count = Math.min(MAX_PAGE_SIZE, Math.max(0, positiveInteger(params.get("count"), "count", DEFAULT_PAGE_SIZE)));
  const sortBy = params.get("sortBy");
  const descending = (params.get("sortOrder") ?? "ascending").toLowerCase() === "descending";
  const id = sortColumns.id;
  let orderBy = Prisma.sql`ORDER BY ${id} ASC`;
  if (sortBy) {
    const column = sortColumns[normaliseAttributePath(sortBy)];
    if (!column) throw new ScimError(400, `Cannot sort by ${sortBy.slice(0, 100)}`, "invalidValue");
    orderBy = descending ? Prisma.sql`ORDER BY ${column} DESC NULLS LAST, ${id} DESC` : Prisma.sql`ORDER BY ${column} ASC NULLS LAST, ${id} ASC`;
  }
  return { where, startIndex, count, orderBy };
}

const ALWAYS_RETURNED = new Set(["id", "schemas", "meta"]);

/** attributes / excludedAttributes (RFC 7644 §3.4.2.5): top-level names and name.sub, case-insensitive, URNs allowed. */
export function projection(params: URLSearchParams): (<T extends Record<string, unknown>>(resource: T) => Partial<T>) | null {
  const list = (name: string) =>
    (params.get(name) ?? "")
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean)
      .map(normaliseAttributePath);
  const attributes = list("attributes");
  const excluded = list("excludedAttributes");
  if (attributes.length === 0 && excluded.length === 0) return null;
  return (resource) => {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(resource)) {
      const name = normaliseAttributePath(key);
      const isExtension = key.startsWith("urn:");
      if (ALWAYS_RETURNED.has(name)) out[key] = value;
      else if (attributes.length > 0) {
        if (attributes.includes(name) || (isExtension && attributes.some((attribute) => attribute.startsWith("enterprise:")))) out[key] = value;
        else {
          const subs = attributes.filter((attribute) => attribute.startsWith(`${name}.`)).map((attribute) => attribute.slice(name.length + 1));
          if (subs.length > 0 && typeof value === "object" && value !== null && !Array.isArray(value)) {
            out[key] = Object.fromEntries(Object.entries(value).filter(([sub]) => subs.includes(sub.toLowerCase())));
          }
        }
      } else if (!excluded.includes(name)) out[key] = value;
    }
    return out as Partial<typeof resource>;
  };
}
