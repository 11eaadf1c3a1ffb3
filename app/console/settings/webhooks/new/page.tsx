import type { Metadata } from "next";
import Link from "next/link";
import { FormAlert } from "@/components/form/field";
import { PageHeader } from "@/components/page-header";
import { NewWebhookEndpoint } from "@/components/webhooks/new-webhook-endpoint";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Add a webhook endpoint" };

export default async function NewWebhookEndpointPage() {
  const session = await requireAdminSession();
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/settings/webhooks" className="hover:underline">
          Webhooks
        </Link>
      </nav>
      <PageHeader title="Add a webhook endpoint" description="Choose where the events go and which ones. Its signing secret is shown once, right after." />
      {session.member.sysAdmin >= SYSTEM_ROLE.owner ? <NewWebhookEndpoint /> : <FormAlert>Only owners add webhook endpoints.</FormAlert>}
    </>
  );
}
