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

/** One directory: a way to its sync runs, and its settings. Another organisation's is a 404. */
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
      <section aria-labelledby="directory-sync-heading" className="mb-6 space-y-2 rounded border border-slate-200 bg-white p-4">
        <h2 id="directory-sync-heading" className="text-lg font-semibold">
          Sync
        </h2>
        <p className="text-sm text-slate-700">
          {directory.lastSyncedAt ? "Runs read the directory and apply what changed." : "Not synced yet: the first sync is a dry run an owner approves."}{" "}
          <Link href={`/console/settings/directories/${directory.id}/runs`} className="font-medium text-blue-700 underline">
            Sync runs and Sync now
          </Link>
        </p>
      </section>
      <section aria-labelledby="directory-settings-heading" className="space-y-3">
        <h2 id="directory-settings-heading" className="text-lg font-semibold">
          Settings
        </h2>
        <DirectorySettingsPanel directory={directory} canEdit={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
      </section>
    </>
  );
}
