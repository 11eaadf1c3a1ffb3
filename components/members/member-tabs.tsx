import { TabBar } from "@/components/tab-bar";

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

/** The member page's sections. */
export function MemberTabs({ memberId, active }: { memberId: string; active: TMemberTab }) {
  return <TabBar label="Member sections" tabs={MEMBER_TABS} active={active} hrefOf={(id) => `/console/members/${memberId}?tab=${id}`} />;
}
