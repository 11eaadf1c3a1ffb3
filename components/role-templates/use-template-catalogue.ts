"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";

/**
 * What a template (and an onboarding) chooses from: the department tree, the
 * applications, roles and groups. Each list loads, fails and retries on its own.
 */
export function useTemplateCatalogue() {
  const trpc = useTRPC();
  return {
    departments: useQuery(trpc.departments.tree.queryOptions()),
    applications: useQuery(trpc.access.list.queryOptions({ kind: "application" })),
    roles: useQuery(trpc.access.list.queryOptions({ kind: "role" })),
    groups: useQuery(trpc.access.list.queryOptions({ kind: "group" })),
  };
}

export type TTemplateCatalogue = ReturnType<typeof useTemplateCatalogue>;
