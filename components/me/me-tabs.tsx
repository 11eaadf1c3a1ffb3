"use client";

import { usePathname } from "next/navigation";
import { TabBar } from "@/components/tab-bar";

const ME_TABS = [
  { id: "/me", label: "Profile" },
  { id: "/me/security", label: "Security" },
  { id: "/me/applications", label: "Applications" },
] as const;

/** The self-service area's sections; each is its own page, so the active tab is the address. */
export function MeTabs() {
  const pathname = usePathname();
  const active = ME_TABS.find((tab) => tab.id !== "/me" && pathname.startsWith(tab.id))?.id ?? "/me";
  return <TabBar label="Your account" tabs={ME_TABS} active={active} hrefOf={(id) => id} />;
}
