import type { Metadata } from "next";
import { NotBuiltYet, PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Roles" };

export default async function RolesPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader title="Roles" />
      <NotBuiltYet feature="Roles, groups and policies" plannedIn="the directory" />
    </>
  );
}
