"use client";

import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useOptimistic, useTransition } from "react";
import { useLeavingPage } from "@/components/navigation-intent";
import { memberListQueryString, parseMemberListParams, type TMemberListFilters } from "@/components/members/member-list-params";

/**
 * The member list's filters, read from and written to the URL query. A change
 * replaces the URL (no history entry per keystroke); until Next has finished
 * that navigation the new filters already apply (optimistic), so a select
 * shows its new value at once and the list starts loading straight away.
 */
export function useMemberListUrl() {
  const router = useRouter();
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [query, setOptimisticQuery] = useOptimistic(searchParams.toString());
  const [, startTransition] = useTransition();
  const leaving = useLeavingPage(pathname);
  const filters = useMemo(() => parseMemberListParams(new URLSearchParams(query)), [query]);

  const update = useCallback(
    (changes: Partial<TMemberListFilters>) => {
      const next = memberListQueryString({ ...filters, ...changes });
      if (next === query) return;
      // A late debounced search must not pull someone back from the member they just clicked (or from Back).
      if (leaving.current || window.location.pathname !== pathname) return;
      startTransition(() => {
        setOptimisticQuery(next);
        router.replace(next ? `${pathname}?${next}` : pathname, { scroll: false });
      });
    },
    [filters, query, pathname, router, setOptimisticQuery, leaving],
  );

  return { filters, update };
}
