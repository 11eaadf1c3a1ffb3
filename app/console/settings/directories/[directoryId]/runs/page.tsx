import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SyncRunsList } from "@/components/directories/sync-runs-list";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { ZEntityId } from "@/server/ids";

export const metadata: Metadata = { title: "Directory sync" };

export default async function DirectorySyncRunsPage({ params }: { params: Promise<{ directoryId: string }> }) {
  await requireAdminSession();
  const parsed = ZEntityId("Unknown directory").safeParse((await params).directoryId);
  if (!parsed.success) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/settings/directories" className="hover:underline">
          Directories
        </Link>
        <span aria-hidden="true">/</span>
        <Link href={`/console/settings/directories/${parsed.data}`} className="hover:underline">
          Directory settings
        </Link>
      </nav>
      <PageHeader
        title="Directory sync"
        description="Each run reads the directory and applies what changed: new people are created, changes flow in, and leavers are deprovisioned through the lifecycle. The first sync is a dry run an owner approves."
      />
      <SyncRunsList directoryId={parsed.data} />
    </>
  );
}
