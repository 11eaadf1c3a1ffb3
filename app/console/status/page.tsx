import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { StatusOverview } from "@/components/status/status-overview";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Status overview" };

export default async function StatusOverviewPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Status overview"
        description="The organisation now: who is online and for how long, abnormal sign-ins and lockouts, passwords to change and members without two-step verification."
      />
      <StatusOverview />
    </>
  );
}
