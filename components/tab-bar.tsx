import Link from "next/link";

/** Tabs that are addresses (`?tab=…`), so a link or a reload keeps the tab. */
export function TabBar({ label, tabs, active, hrefOf }: { label: string; tabs: readonly { id: string; label: string }[]; active: string; hrefOf: (id: string) => string }) {
  return (
    <nav aria-label={label} className="mb-6 border-b border-slate-200">
      {/* More tabs than a phone's width scroll inside the bar, never the page. */}
      <ul className="-mb-px flex gap-1 overflow-x-auto">
        {tabs.map((tab) => {
          const current = tab.id === active;
          return (
            <li key={tab.id}>
              <Link
                href={hrefOf(tab.id)}
                aria-current={current ? "page" : undefined}
                scroll={false}
                className={`block border-b-2 px-3 py-2 text-sm whitespace-nowrap sm:px-4 font-medium ${
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
