import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireAdminSession();
  const tenant = await (await serverCaller()).tenant.current();
  return (
    <>
      <PageHeader title="Settings" description="This organisation's settings: security policy, member lifecycle and the mail it sends are in the tabs above." />
      <dl className="mb-6 grid max-w-md grid-cols-2 gap-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <dt className="text-slate-600">Organisation</dt>
        <dd className="font-medium">{tenant.name}</dd>
        <dt className="text-slate-600">Sign-in name</dt>
        <dd className="font-mono">{tenant.slug}</dd>
      </dl>
    </>
  );
}
