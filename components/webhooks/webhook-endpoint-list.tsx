"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { DateTime } from "@/components/date-time";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { endpointStatus, STATUS_TONES } from "@/components/webhooks/webhook-labels";

/** Settings → Webhooks: every endpoint, its state, its events and its last delivery. */
export function WebhookEndpointList() {
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.webhooks.list.queryOptions());
  return (
    <ListState query={endpoints} loading="Loading the webhook endpoints…" failure="The webhook endpoints could not be loaded" empty="No webhook endpoint yet: other systems hear of nothing until an owner adds one.">
      {(items) => (
        <ul aria-label="Webhook endpoints" className="space-y-2">
          {items.map((endpoint) => {
            const status = endpointStatus(endpoint);
            return (
              <li key={endpoint.id} className="rounded-lg border border-slate-200 bg-white p-4">
                <div className="flex flex-wrap items-center gap-2">
                  <h2 className="min-w-0 break-all font-medium">
                    <Link href={`/console/settings/webhooks/${endpoint.id}`} className="text-brand-700 hover:underline">
                      {endpoint.url}
                    </Link>
                  </h2>
                  <span className={`rounded border px-2 py-0.5 text-xs ${STATUS_TONES[status.tone]}`}>{status.label}</span>
                </div>
                {endpoint.description ? <p className="mt-1 text-sm text-slate-700">{endpoint.description}</p> : null}
                <p className="mt-1 text-sm text-slate-600">
                  {endpoint.eventTypes.length === 1 ? "1 event type" : `${endpoint.eventTypes.length} event types`} · Last delivery:{" "}
                  {endpoint.lastAttemptAt ? (
                    <>
                      <DateTime value={endpoint.lastAttemptAt} /> ({endpoint.lastAttemptOk ? "delivered" : "failed"})
                    </>
                  ) : (
                    "never"
                  )}
                  {endpoint.pendingDeliveries > 0 ? ` · ${endpoint.pendingDeliveries} waiting` : ""}
                </p>
              </li>
            );
          })}
        </ul>
      )}
    </ListState>
  );
}
