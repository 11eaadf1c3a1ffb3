import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/page-header";
import { ApplicationProvisioningPanel } from "@/components/provisioning/application-provisioning-panel";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";
import { ZApplicationRef } from "@/server/provisioning/schemas";
import { notFound } from "next/navigation";

export const metadata: Metadata = { title: "Provisioning (SCIM)" };

/** Settings of an application → Provisioning (SCIM). */
export default async function ApplicationProvisioningPage({ params }: { params: Promise<{ applicationId: string }> }) {
  await requireAdminSession();
  const parsed = ZApplicationRef.safeParse(await params);
  if (!parsed.success) notFound();
  const overview = await (await serverCaller()).provisioning.overview(parsed.data).catch(() => null);
  if (!overview) notFound();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/apps" className="hover:underline">
          Apps
        </Link>
        <span aria-hidden="true">/</span>
        <span>{overview.applicationName}</span>
      </nav>
      <PageHeader title={`${overview.applicationName}: provisioning`} description="Create, update and close this application's own accounts as members gain and lose it (SCIM 2.0)." />
      <ApplicationProvisioningPanel applicationId={overview.applicationId} />
    </>
  );
}
