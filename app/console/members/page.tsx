import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { MemberList } from "@/components/members/member-list";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Members"
        description="Everyone in this organisation. Search, filter and sort the list (the address keeps the view), and move selected members to a department."
        actions={
          <Link href="/console/members/new" className={`${PRIMARY_BUTTON} shrink-0`}>
            New member
          </Link>
        }
      />
      {/* The list reads its filters from the URL (useSearchParams), which needs a Suspense boundary. */}
      <Suspense
        fallback={
          <p role="status" className="text-sm text-slate-600">
            Loading members…
          </p>
        }
      >
        <MemberList />
      </Suspense>
    </>
  );
}
