import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SyncRunView } from "@/components/directories/sync-run-view";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { ZEntityId } from "@/server/ids";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Sync run" };

export default async function DirectorySyncRunPage({ params }: { params: Promise<{ directoryId: string; runId: string }> }) {
  const session = await requireAdminSession();
  const { directoryId, runId } = await params;
  const directory = ZEntityId("Unknown directory").safeParse(directoryId);
  const run = ZEntityId("Unknown sync run").safeParse(runId);
  if (!directory.success || !run.success) notFound();
  return (
    <>
      <PageHeader
        title="Sync run"
        description="Progress, the plan by action, and the report of one run."
        actions={
          <Link href={`/console/settings/directories/${directory.data}/runs`} className="shrink-0 text-sm font-medium text-brand-700 hover:underline">
            All runs
          </Link>
        }
      />
      <SyncRunView runId={run.data} canApprove={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
    </>
  );
}
