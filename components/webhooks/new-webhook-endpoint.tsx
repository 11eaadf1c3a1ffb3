"use client";

import Link from "next/link";
import { useState } from "react";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { SuccessStatus } from "@/components/form/success-status";
import { NEW_ENDPOINT, WebhookEndpointForm } from "@/components/webhooks/webhook-endpoint-form";
import { WebhookSecretOnce } from "@/components/webhooks/webhook-secret-once";

/** The form for a new endpoint; once added, its secret (once) and the way to its page. */
export function NewWebhookEndpoint() {
  const [created, setCreated] = useState<{ id: string; secret: string } | null>(null);
  if (created) {
    return (
      <div className="space-y-4">
        <SuccessStatus message="Endpoint added. Its events are sent from now on." />
        <WebhookSecretOnce secret={created.secret}>
          <Link href={`/console/settings/webhooks/${created.id}`} className={PRIMARY_BUTTON}>
            I have copied it: open the endpoint
          </Link>
        </WebhookSecretOnce>
      </div>
    );
  }
  return <WebhookEndpointForm endpointId={null} initial={NEW_ENDPOINT} onSaved={(saved) => setCreated({ id: saved.id, secret: saved.secret ?? "" })} />;
}
