"use client";

import { usePathname } from "next/navigation";
import { TabBar } from "@/components/tab-bar";

const SETTINGS_TABS = [
  { id: "/console/settings", label: "General" },
  { id: "/console/settings/security", label: "Security" },
  { id: "/console/settings/self-service", label: "Self-service" },
  { id: "/console/settings/lifecycle", label: "Lifecycle" },
  { id: "/console/settings/alerts", label: "Alerts" },
  { id: "/console/settings/directories", label: "Directories" },
  { id: "/console/settings/api-tokens", label: "API tokens" },
  { id: "/console/settings/webhooks", label: "Webhooks" },
  { id: "/console/settings/signing-keys", label: "Signing keys" },
  { id: "/console/settings/provisioning", label: "Provisioning" },
  { id: "/console/settings/outbox", label: "Outbox" },
] as const;

/** The Settings area's sections; each is its own page, so the active tab is the address. */
export function SettingsTabs() {
  const pathname = usePathname();
  const active = SETTINGS_TABS.find((tab) => tab.id !== "/console/settings" && pathname.startsWith(tab.id))?.id ?? "/console/settings";
  return <TabBar label="Settings sections" tabs={SETTINGS_TABS} active={active} hrefOf={(id) => id} />;
}
