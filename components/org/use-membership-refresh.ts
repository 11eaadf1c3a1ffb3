"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { useTRPC } from "@/components/trpc/client";

/**
 * After a change to a member's departments: the member page is rendered on
 * the server (profile, Organisation tab), so it is refreshed; the tree's
 * counts and heads, the member list and the timeline are refetched.
 */
export function useMembershipRefresh(): { refresh: () => Promise<void>; refreshing: boolean } {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [refreshing, startRefresh] = useTransition();
  const refresh = async () => {
    startRefresh(() => router.refresh());
    await Promise.all([
      queryClient.invalidateQueries(trpc.departments.pathFilter()),
      queryClient.invalidateQueries(trpc.members.list.pathFilter()),
      queryClient.invalidateQueries(trpc.members.timeline.pathFilter()),
    ]);
  };
  return { refresh, refreshing };
}
