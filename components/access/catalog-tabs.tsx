import { TabBar } from "@/components/tab-bar";
import type { TAccessKind } from "@/server/access/schemas";

/** The Roles page's tabs: each its own address (`?tab=…`), so a link or a reload keeps it. */
export const CATALOG_TABS = [
  { id: "roles", label: "Roles", kind: "role" },
  { id: "groups", label: "Groups", kind: "group" },
  { id: "policies", label: "Policies", kind: "policy" },
] as const satisfies readonly { id: string; label: string; kind: TAccessKind }[];
export type TCatalogTab = (typeof CATALOG_TABS)[number];

/** `?tab=` of the Roles page; anything else is the roles tab. */
export function parseCatalogTab(value: string | undefined): TCatalogTab {
  return CATALOG_TABS.find((tab) => tab.id === value) ?? CATALOG_TABS[0];
}

/** The last tab is not a catalogue kind: role templates for onboarding (components/role-templates). */
export const TEMPLATES_TAB = { id: "templates", label: "Templates" } as const;

export function CatalogTabs({ active }: { active: TCatalogTab["id"] | typeof TEMPLATES_TAB.id }) {
  return <TabBar label="Access catalogue" tabs={[...CATALOG_TABS, TEMPLATES_TAB]} active={active} hrefOf={(id) => `/console/roles?tab=${id}`} />;
}
