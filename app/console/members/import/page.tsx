import type { Metadata } from "next";
import Link from "next/link";
import { MemberImport } from "@/components/imports/member-import";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { ZImportRef } from "@/server/imports/schemas";

export const metadata: Metadata = { title: "Import members" };

export default async function MemberImportPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminSession();
  // An id that is not one is ignored (the upload form shows), as the member list ignores invalid filters.
  const requested = ZImportRef.safeParse({ importId: (await searchParams).import });
  return (
    <>
      <PageHeader
        title="Import members"
        description="Add and update members from a CSV or JSON file. Every row is checked first; nothing changes until you apply the valid rows. Members are matched by username."
        actions={
          <Link href="/console/members" className="shrink-0 text-sm font-medium text-brand-700 hover:underline">
            Back to members
          </Link>
        }
      />
      <MemberImport importId={requested.success ? requested.data.importId : null} />
    </>
  );
}
