import type { Metadata } from "next";
import { AuditTrail } from "@/components/audit/audit-trail";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Audit" };

export default async function AuditPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Audit"
        description="Every change to this organisation's directory: who, what, when and from where, with the values before and after. Sensitive operations are flagged."
      />
      <AuditTrail />
    </>
  );
}
