import type { Metadata } from "next";
import { InheritanceMatrix } from "@/components/access/inheritance-matrix";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Inheritance matrix" };

export default async function InheritanceMatrixPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Inheritance matrix"
        description="Which roles each department is granted, and which it inherits from a department above it. Members hold their departments' roles as long as they can sign in."
      />
      <InheritanceMatrix />
    </>
  );
}
