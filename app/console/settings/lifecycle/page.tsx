import type { Metadata } from "next";
import { LifecycleSettingsForm } from "@/components/lifecycle/lifecycle-settings-form";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Lifecycle settings" };

export default async function LifecycleSettingsPage() {
  await requireAdminSession();
  const settings = await (await serverCaller()).lifecycle.settings();
  return (
    <>
      <PageHeader title="Lifecycle" description="How long deleted members stay in the recycle bin, and when members are reminded that their password expires." />
      <LifecycleSettingsForm initial={settings} />
    </>
  );
}
