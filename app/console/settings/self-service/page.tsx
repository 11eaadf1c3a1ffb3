import type { Metadata } from "next";
import { SelfServiceSettingsForm } from "@/components/me/self-service-settings-form";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Self-service" };

export default async function SelfServiceSettingsPage() {
  await requireAdminSession();
  const settings = await (await serverCaller()).selfService.settings();
  return (
    <>
      <PageHeader title="Self-service" description="What members may change themselves in their profile (My account). Changes are audited." />
      <SelfServiceSettingsForm initial={settings.editableFields} />
    </>
  );
}
