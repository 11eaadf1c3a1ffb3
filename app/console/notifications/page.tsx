import type { Metadata } from "next";
import Link from "next/link";
import { NotificationList } from "@/components/alerts/notification-list";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Notifications"
        description={
          <>
            Your alerts, newest first: sensitive grants, lockouts, abnormal sign-ins, bulk actions and exports, as the{" "}
            <Link href="/console/settings/alerts" className="font-medium text-brand-700 underline">
              alert rules
            </Link>{" "}
            say. Each opens its audit event.
          </>
        }
      />
      <NotificationList />
    </>
  );
}
