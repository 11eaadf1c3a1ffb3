import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { LoadingState } from "@/components/list/list-state";
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
        description="Everyone in this organisation. Search, filter and sort the list (the address keeps the view), and move selected members to a department or change their status."
        actions={
          <div className="flex shrink-0 gap-3">
            <Link href="/console/members/import" className={SECONDARY_BUTTON}>
              Import
            </Link>
            <Link href="/console/members/onboard" className={SECONDARY_BUTTON}>
              Onboard
            </Link>
            <Link href="/console/members/new" className={PRIMARY_BUTTON}>
              New member
            </Link>
          </div>
        }
      />
      {/* The list reads its filters from the URL (useSearchParams), which needs a Suspense boundary. */}
      <Suspense fallback={<LoadingState>Loading members…</LoadingState>}>
        <MemberList />
      </Suspense>
    </>
  );
}
