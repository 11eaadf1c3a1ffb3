import Link from "next/link";
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

export function CatalogTabs({ active }: { active: TCatalogTab["id"] }) {
  return (
    <nav aria-label="Access catalogue" className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex gap-1">
        {CATALOG_TABS.map((tab) => {
          const current = tab.id === active;
          return (
            <li key={tab.id}>
              <Link
                href={`/console/roles?tab=${tab.id}`}
                aria-current={current ? "page" : undefined}
                scroll={false}
                className={`block border-b-2 px-4 py-2 text-sm font-medium ${
                  current ? "border-brand-600 text-brand-700" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900"
                }`}
              >
                {tab.label}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
