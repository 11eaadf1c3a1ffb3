"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import type { TMemberListFilters } from "@/components/members/member-list-params";

export const MEMBER_LIST_PAGE_SIZE = 50;

/**
 * The members matching `filters`, a page at a time ("Load more" fetches the
 * next keyset page with the same filters). While other filters load, the
 * previous rows stay on screen (`isPlaceholderData`) instead of a blank table.
 */
export function useMemberListQuery(filters: TMemberListFilters, options: { enabled?: boolean } = {}) {
  const trpc = useTRPC();
  return useInfiniteQuery(
    trpc.members.list.infiniteQueryOptions(
      {
        limit: MEMBER_LIST_PAGE_SIZE,
        search: filters.q || undefined,
        departmentId: filters.department ?? undefined,
        status: filters.status ?? undefined,
        role: filters.role ?? undefined,
        source: filters.source ?? undefined,
        sort: filters.sort,
        order: filters.order,
      },
      { getNextPageParam: (page) => page.nextCursor, placeholderData: keepPreviousData, enabled: options.enabled ?? true },
    ),
  );
}

export type TMemberListRow = NonNullable<ReturnType<typeof useMemberListQuery>["data"]>["pages"][number]["items"][number];
