import type { Metadata } from "next";
import { AlertRules } from "@/components/alerts/alert-rules";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Alerts" };

export default async function AlertSettingsPage() {
  const session = await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Alerts"
        description="Which events alert whom, and how: in the console's notifications, by mail through the outbox, or both. Changes are audited."
      />
      <AlertRules canEdit={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
    </>
  );
}
