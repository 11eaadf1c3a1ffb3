import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { cache } from "react";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

const LARGEST_ID = 9_223_372_036_854_775_807n; // PostgreSQL bigint

/**
 * The member a console page is about, once per request (page and metadata
 * share it). An id that is not a member of the admin's organisation (unknown,
 * deleted, another tenant's, or not an id at all) is Next's 404.
 */
export const loadMember = cache(async (memberId: string) => {
  await requireAdminSession();
  if (!/^\d{1,19}$/.test(memberId) || BigInt(memberId) > LARGEST_ID) notFound();
  try {
    return await (await serverCaller()).members.get({ memberId });
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  }
});

export type TLoadedMember = Awaited<ReturnType<typeof loadMember>>;
