import type { Metadata } from "next";
import { WhoHas } from "@/components/access/who-has";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { ZPermissionQuery } from "@/server/access/schemas";

export const metadata: Metadata = { title: "Who has access" };

export default async function WhoHasPage({ searchParams }: { searchParams: Promise<{ permission?: string }> }) {
  await requireAdminSession();
  const { permission } = await searchParams;
  return (
    <>
      <PageHeader
        title="Who has access"
        description="Who can do something, and why: every member who holds a permission, role or application now, through direct grants, groups, departments or a parent department's subtree grant."
      />
      <WhoHas initialPermission={ZPermissionQuery.safeParse(permission).data} />
    </>
  );
}
