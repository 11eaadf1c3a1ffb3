import type { Metadata } from "next";
import Link from "next/link";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { PageHeader } from "@/components/page-header";
import { WebhookEndpointList } from "@/components/webhooks/webhook-endpoint-list";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const session = await requireAdminSession();
  const isOwner = session.member.sysAdmin >= SYSTEM_ROLE.owner;
  return (
    <>
      <PageHeader
        title="Webhooks"
        description="Other systems hear of this organisation's events (members, lifecycle actions, access, lockouts, alerts) as signed requests. Owners add and change endpoints; every admin sees their delivery logs."
        actions={
          isOwner ? (
            <Link href="/console/settings/webhooks/new" className={PRIMARY_BUTTON}>
              Add an endpoint
            </Link>
          ) : null
        }
      />
      <WebhookEndpointList />
    </>
  );
}
