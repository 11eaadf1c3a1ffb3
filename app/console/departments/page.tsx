import type { Metadata } from "next";
import { DepartmentTree } from "@/components/org/department-tree";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Departments" };

export default async function DepartmentsPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Departments"
        description="The organisation tree. Departed is where resigned members go; it is managed by Tenure."
      />
      <DepartmentTree />
    </>
  );
}
