import type { Metadata } from "next";
import { OutboxList } from "@/components/lifecycle/outbox-list";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Outbox" };

export default async function OutboxPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader title="Outbox" description="Every mail Tenure has sent or is holding for this organisation, newest first. Open one to read it." />
      <OutboxList />
    </>
  );
}
