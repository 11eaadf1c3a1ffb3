import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { requireSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "My profile" };

export default async function MyProfilePage() {
  await requireSession();
  const profile = await (await serverCaller()).me.get();
  const rows: [string, string][] = [
    ["Full name", profile.fullName],
    ["Username", profile.username],
    ["Email", profile.email],
    ["Organisation", profile.tenantName],
    ["Role", profile.role.charAt(0).toUpperCase() + profile.role.slice(1)],
    ["Member since", profile.createdAt.toISOString().slice(0, 10)],
  ];
  return (
    <>
      <PageHeader title="My profile" description="Editing your profile, password, MFA and sessions arrives with self-service." />
      <dl className="grid grid-cols-[10rem_1fr] gap-x-4 gap-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-slate-600">{label}</dt>
            <dd className="font-medium" data-testid={`profile-${label.toLowerCase().replaceAll(" ", "-")}`}>
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </>
  );
}
