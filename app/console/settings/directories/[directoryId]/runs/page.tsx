import type { Metadata } from "next";
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
      <PageHeader
        title="Directory sync"
        description="Each run reads the directory and applies what changed: new people are created, changes flow in, and leavers are deprovisioned through the lifecycle. The first sync is a dry run an owner approves."
      />
      <SyncRunsList directoryId={parsed.data} />
    </>
  );
}
