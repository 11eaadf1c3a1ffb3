import type { Metadata } from "next";
import Link from "next/link";
import { MembersTable } from "@/components/console/members-table";
import { PRIMARY_BUTTON } from "@/components/members/button-styles";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Members"
        description="Everyone in this organisation. Search and filters arrive with the directory."
        actions={
          <Link href="/console/members/new" className={PRIMARY_BUTTON}>
            New member
          </Link>
        }
      />
      <MembersTable />
    </>
  );
}
