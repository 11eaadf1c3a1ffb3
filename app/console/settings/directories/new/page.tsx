import type { Metadata } from "next";
import Link from "next/link";
import { NewDirectory } from "@/components/directories/new-directory";
import { FormAlert } from "@/components/form/field";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Connect a directory" };

export default async function NewDirectoryPage() {
  const session = await requireAdminSession();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/settings/directories" className="hover:underline">
          Directories
        </Link>
      </nav>
      <PageHeader title="Connect a directory" description="Start from a preset, test the connection and preview the entries before you connect. Nothing is synced until a first sync is approved." />
      {session.member.sysAdmin >= SYSTEM_ROLE.owner ? <NewDirectory /> : <FormAlert>Only owners connect directories.</FormAlert>}
    </>
  );
}
