import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";
import { DateTime } from "@/components/date-time";

export const metadata: Metadata = { title: "Console" };

function Stat({ label, value }: { label: string; value: number }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4">
      <p className="text-sm text-slate-600">{label}</p>
      <p className="mt-1 text-3xl font-semibold" data-testid={`stat-${label.toLowerCase().replaceAll(" ", "-")}`}>
        {value.toLocaleString("en")}
      </p>
    </div>
  );
}

export default async function ConsoleOverviewPage() {
  await requireAdminSession();
  const overview = await (await serverCaller()).tenant.overview();
  return (
    <>
      <PageHeader title={overview.name} description={<>Organisation “{overview.slug}”, created <DateTime value={overview.createdAt} /></>} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Stat label="Members" value={overview.memberCount} />
        <Stat label="Administrators" value={overview.adminCount} />
        <Stat label="Open sessions" value={overview.openSessionCount} />
      </div>
    </>
  );
}
