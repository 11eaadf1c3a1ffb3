import { TRPCError } from "@trpc/server";
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { WebhookDeliveryLog } from "@/components/webhooks/webhook-delivery-log";
import { WebhookEndpointPanel } from "@/components/webhooks/webhook-endpoint-panel";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Webhook endpoint" };

const LARGEST_ID = 9_223_372_036_854_775_807n; // PostgreSQL bigint

/** One endpoint: its state and actions, and its delivery log. Another organisation's is a 404. */
export default async function WebhookEndpointPage({ params }: { params: Promise<{ endpointId: string }> }) {
  const session = await requireAdminSession();
  const { endpointId } = await params;
  if (!/^\d{1,19}$/.test(endpointId) || BigInt(endpointId) > LARGEST_ID) notFound();
  const endpoint = await (await serverCaller()).webhooks.get({ endpointId }).catch((error: unknown) => {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    throw error;
  });
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/settings/webhooks" className="hover:underline">
          Webhooks
        </Link>
      </nav>
      <PageHeader title="Webhook endpoint" description={<span className="break-all">{endpoint.url}</span>} />
      <div className="space-y-8">
        <WebhookEndpointPanel endpointId={endpoint.id} isOwner={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
        <WebhookDeliveryLog endpointId={endpoint.id} />
      </div>
    </>
  );
}
