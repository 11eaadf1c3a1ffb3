import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { DirectorySettingsPanel } from "@/components/directories/directory-settings-panel";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Directory" };

const LARGEST_ID = 9_223_372_036_854_775_807n; // PostgreSQL bigint

/** One directory: its settings (and, beside them, its syncs). Another organisation's is a 404. */
export default async function DirectoryPage({ params }: { params: Promise<{ directoryId: string }> }) {
  const session = await requireAdminSession();
  const { directoryId } = await params;
  if (!/^\d{1,19}$/.test(directoryId) || BigInt(directoryId) > LARGEST_ID) notFound();
  const directory = await (await serverCaller()).directories.get({ directoryId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/settings/directories" className="hover:underline">
          Directories
        </Link>
      </nav>
      <PageHeader title={directory.name} description={`${directory.memberCount === 1 ? "1 member" : `${directory.memberCount} members`} from ${directory.url}`} />
      {/* The sync runs (wip/sync) add their own section here, above or beside the settings. */}
      <section aria-labelledby="directory-settings-heading" className="space-y-3">
        <h2 id="directory-settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <DirectorySettingsPanel directory={directory} canEdit={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
      </section>
    </>
  );
}
