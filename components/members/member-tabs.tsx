import Link from "next/link";

export const MEMBER_TABS = [
  { id: "profile", label: "Profile" },
  { id: "organisation", label: "Organisation" },
  { id: "access", label: "Access" },
  { id: "sessions", label: "Sessions" },
  { id: "timeline", label: "Timeline" },
] as const;
export type TMemberTab = (typeof MEMBER_TABS)[number]["id"];

/** `?tab=` of the member page; anything else is the profile. */
export function parseMemberTab(value: string | undefined): TMemberTab {
  return MEMBER_TABS.find((tab) => tab.id === value)?.id ?? "profile";
}

/** The member page's sections, each its own address (`?tab=…`), so a link or a reload keeps the tab. */
export function MemberTabs({ memberId, active }: { memberId: string; active: TMemberTab }) {
  return (
    <nav aria-label="Member sections" className="mb-6 border-b border-slate-200">
      <ul className="-mb-px flex gap-1">
        {MEMBER_TABS.map((tab) => {
          const current = tab.id === active;
          return (
            <li key={tab.id}>
              <Link
                href={`/console/members/${memberId}?tab=${tab.id}`}
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
