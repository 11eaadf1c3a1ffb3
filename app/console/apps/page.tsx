import type { Metadata } from "next";
import { NotBuiltYet, PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader title="Apps" />
      <NotBuiltYet feature="Applications and their authorisations" plannedIn="the directory" />
    </>
  );
}
