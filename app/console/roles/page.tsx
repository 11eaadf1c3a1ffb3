import type { Metadata } from "next";
import { CatalogTab } from "@/components/access/catalog-tab";
import { CatalogTabs, parseCatalogTab, TEMPLATES_TAB } from "@/components/access/catalog-tabs";
import { PageHeader } from "@/components/page-header";
import { RoleTemplatesTab } from "@/components/role-templates/role-templates-tab";
import { requireAdminSession } from "@/server/auth/current-session";

export const metadata: Metadata = { title: "Roles" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function RolesPage({ searchParams }: { searchParams: TSearchParams }) {
  await requireAdminSession();
  const requested = first((await searchParams).tab);
  const tab = parseCatalogTab(requested);
  return (
    <>
      <PageHeader
        title="Roles"
        description="Policies are single permissions (resource:action); roles bundle policies; groups gather members. Grant them on a member's Access tab; grant roles and applications to a whole group here (a group's “Roles and apps…”) or to a department on the Departments page. Templates bundle departments, apps, roles and groups for onboarding."
      />
      {requested === TEMPLATES_TAB.id ? (
        <>
          <CatalogTabs active={TEMPLATES_TAB.id} />
          <RoleTemplatesTab />
        </>
      ) : (
        <>
          <CatalogTabs active={tab.id} />
          {/* A fresh tab per kind: no open form or notice carries over. */}
          <CatalogTab key={tab.kind} kind={tab.kind} />
        </>
      )}
    </>
  );
}
