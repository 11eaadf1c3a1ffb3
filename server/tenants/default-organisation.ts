import type { TDatabase } from "@/server/db/client";

/** The organisation to pre-fill on the sign-in form: only when the installation has exactly one. */
export async function defaultOrganisationSlug(db: TDatabase): Promise<string | null> {
  const tenants = await db.tenant.findMany({ select: { slug: true }, take: 2 });
  return tenants.length === 1 ? (tenants[0]?.slug ?? null) : null;
}
