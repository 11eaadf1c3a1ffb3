import type { z } from "zod";
import { ZMemberListInput, type MEMBER_SORTS, type MEMBER_SOURCES, type MEMBER_STATUSES } from "@/server/members/schemas";
import type { TRole } from "@/components/members/member-labels";

// The member list's filters as the console URL carries them
// (`/console/members?q=…&department=…&status=…&role=…&source=…&sort=…&order=…`),
// so a filtered view can be bookmarked and reloaded. Each value is checked with
// the list procedure's own schema; an invalid one is ignored. Pure: server or client.

export const MEMBER_LIST_PATH = "/console/members";

export type TMemberStatus = (typeof MEMBER_STATUSES)[number];
export type TMemberSource = (typeof MEMBER_SOURCES)[number];
export type TMemberSort = (typeof MEMBER_SORTS)[number];
export type TSortOrder = "asc" | "desc";

export type TMemberListFilters = {
  /** The search text, trimmed; "" for none. */
  q: string;
  /** A department id (its sub-departments included), or null for all. */
  department: string | null;
  status: TMemberStatus | null;
  role: TRole | null;
  source: TMemberSource | null;
  sort: TMemberSort;
  order: TSortOrder;
};

export const DEFAULT_SORT: TMemberSort = "name";
export const DEFAULT_ORDER: TSortOrder = "asc";

export const EMPTY_FILTERS: TMemberListFilters = {
  q: "",
  department: null,
  status: null,
  role: null,
  source: null,
  sort: DEFAULT_SORT,
  order: DEFAULT_ORDER,
};

const shape = ZMemberListInput.shape;

/** The value when the procedure's schema accepts it, else null. */
function accepted<T>(schema: z.ZodType<T | null | undefined>, raw: string | null): T | null {
  if (raw === null || raw === "") return null;
  try {
    const result = schema.safeParse(raw);
    return result.success ? (result.data ?? null) : null;
  } catch {
    // ZEntityId's bigint range check runs even after its digits check failed, and BigInt() throws on non-digits.
    return null;
  }
}

type TReadableParams = { get(name: string): string | null };

export function parseMemberListParams(params: TReadableParams): TMemberListFilters {
  return {
    q: accepted(shape.search, params.get("q")) ?? "",
    department: accepted(shape.departmentId, params.get("department")),
    status: accepted(shape.status, params.get("status")),
    role: accepted(shape.role, params.get("role")),
    source: accepted(shape.source, params.get("source")),
    sort: accepted(shape.sort, params.get("sort")) ?? DEFAULT_SORT,
    order: accepted(shape.order, params.get("order")) ?? DEFAULT_ORDER,
  };
}

/** The query string of these filters (without "?"), in a fixed order, leaving out empty values and the default sort. */
export function memberListQueryString(filters: TMemberListFilters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.department) params.set("department", filters.department);
  if (filters.status) params.set("status", filters.status);
  if (filters.role) params.set("role", filters.role);
  if (filters.source) params.set("source", filters.source);
  if (filters.sort !== DEFAULT_SORT) params.set("sort", filters.sort);
  if (filters.order !== DEFAULT_ORDER) params.set("order", filters.order);
  return params.toString();
}

export function memberListHref(filters: TMemberListFilters): string {
  const query = memberListQueryString(filters);
  return query ? `${MEMBER_LIST_PATH}?${query}` : MEMBER_LIST_PATH;
}

/** Whether anything narrows the list (the sort does not). */
export function hasActiveFilters(filters: TMemberListFilters): boolean {
  return Boolean(filters.q || filters.department || filters.status || filters.role || filters.source);
}

/** Whether the view differs from the plain list at all (filters or sort): "Clear filters" is worth offering. */
export function isCustomised(filters: TMemberListFilters): boolean {
  return hasActiveFilters(filters) || filters.sort !== DEFAULT_SORT || filters.order !== DEFAULT_ORDER;
}
