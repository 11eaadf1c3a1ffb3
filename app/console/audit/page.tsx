import type { Metadata } from "next";
import { NotBuiltYet, PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader title="Audit" />
      <NotBuiltYet feature="Audit events" plannedIn="the directory" />
    </>
  );
}
