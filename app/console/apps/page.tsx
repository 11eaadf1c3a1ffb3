import type { Metadata } from "next";
import { CatalogTab } from "@/components/access/catalog-tab";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Apps" };

export default async function AppsPage() {
  await requireAdminSession();
  return (
    <>
      <PageHeader title="Apps" description="The applications members may use. Grant them on a member's Access tab; open one for its sign-in (OpenID Connect) settings." />
      <CatalogTab kind="application" />
    </>
  );
}
