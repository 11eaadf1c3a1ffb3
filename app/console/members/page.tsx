import type { Metadata } from "next";
import { MembersTable } from "@/components/console/members-table";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader title="Members" description="Everyone in this organisation. Search, filters and the full profile arrive with the directory." />
      <MembersTable />
    </>
  );
}
