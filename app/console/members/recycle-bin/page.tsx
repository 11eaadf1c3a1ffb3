import type { Metadata } from "next";
import Link from "next/link";
import { MemberListViews } from "@/components/lifecycle/member-list-views";
import { RecycleBin } from "@/components/lifecycle/recycle-bin";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Recycle bin" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RecycleBinPage({ searchParams }: { searchParams: TSearchParams }) {
  await requireAdminSession();
  const query = await searchParams;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/console/members" className="text-slate-600 hover:underline">
          Members
        </Link>
      </nav>
      <PageHeader
        title="Recycle bin"
        description="Deleted members, kept for the grace period set in Settings → Lifecycle. Restore brings back their state and relations; when the period ends they are erased permanently."
      />
      {/* The same Directory / Archived / Recycle bin tabs as the member list: the bin is one of its views. */}
      <MemberListViews inRecycleBin />
      {/* ?erased=1: the member page sends the admin here after "Delete permanently". */}
      <RecycleBin justErased={query.erased === "1"} />
    </>
  );
}
