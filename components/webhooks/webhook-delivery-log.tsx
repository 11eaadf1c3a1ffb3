"use client";

import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "@/components/date-time";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { WEBHOOK_LOG_FILTERS } from "@/server/webhooks/schemas";
import { ScrollRegion } from "@/components/list/scroll-region";

const PAGE_SIZE = 25;
const FILTER_LABELS: Record<(typeof WEBHOOK_LOG_FILTERS)[number], string> = { all: "Every attempt", failed: "Failures only" };

/** An endpoint's delivery log, newest first (or failures only): what was sent, the answer, how long; "Replay" sends a message again. */
export function WebhookDeliveryLog({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [show, setShow] = useState<(typeof WEBHOOK_LOG_FILTERS)[number]>("all");
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const log = useInfiniteQuery(trpc.webhooks.log.infiniteQueryOptions({ endpointId, show, limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor, refetchInterval: 5000 }));
  const replay = useMutation(trpc.webhooks.replay.mutationOptions());
  const replayNow = (deliveryId: string, webhookId: string) =>
    replay.mutate(
      { endpointId, deliveryId },
      {
        onSuccess: () => {
          setFailure(null);
          setMessage(`Sending ${webhookId} again.`);
          setTimeout(() => void queryClient.invalidateQueries(trpc.webhooks.log.pathFilter()), 1500);
        },
        onError: (error) => {
          setMessage(null);
          setFailure(error.message);
        },
      },
    );

  return (
    <section aria-labelledby="webhook-log-heading" className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h2 id="webhook-log-heading" className="text-lg font-semibold">
          Delivery log
        </h2>
        <fieldset className="flex gap-3 text-sm">
          <legend className="sr-only">Show</legend>
          {WEBHOOK_LOG_FILTERS.map((filter) => (
            <label key={filter} className="flex items-center gap-1">
              <input type="radio" name="webhook-log-filter" className="accent-brand-600" checked={show === filter} onChange={() => setShow(filter)} />
              {FILTER_LABELS[filter]}
            </label>
          ))}
        </fieldset>
      </div>
      <SuccessStatus message={message} />
      {failure ? <FormAlert>{failure}</FormAlert> : null}
      <ListState query={log} loading="Loading the delivery log…" failure="The delivery log could not be loaded" empty={show === "failed" ? "No failed attempt." : "Nothing sent yet: send a test event to see one here."}>
        {(items) => (
          <ul aria-label="Delivery attempts" className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
            {items.map((entry) => (
              <li key={entry.id} className="space-y-1 p-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className={`rounded border px-2 py-0.5 text-xs ${entry.ok ? "border-emerald-200 bg-emerald-50 text-emerald-800" : "border-red-200 bg-red-50 text-red-800"}`}>
                    {entry.ok ? "Delivered" : "Failed"}
                    {entry.responseStatus !== null ? ` · HTTP ${entry.responseStatus}` : ""}
                  </span>
                  <span className="font-mono">{entry.eventType}</span>
                  <DateTime value={entry.requestedAt} className="text-slate-600" />
                  <span className="text-slate-600">
                    {entry.durationMs} ms · attempt {entry.attempt}
                    {entry.trigger === "replay" ? " (replay)" : ""}
                  </span>
                  <button type="button" className={`${SECONDARY_BUTTON} ml-auto px-2 py-1 text-xs`} disabled={replay.isPending} onClick={() => replayNow(entry.deliveryId, entry.webhookId)}>
                    Replay
                  </button>
                </div>
                {entry.error ? <p className="text-red-700">{entry.error}</p> : null}
                {!entry.ok && entry.deliveryStatus === "pending" && entry.nextAttemptAt ? (
                  <p className="text-slate-600">
                    Next attempt: <DateTime value={entry.nextAttemptAt} />
                  </p>
                ) : null}
                {entry.deliveryStatus === "failed" ? <p className="text-slate-600">Retries exhausted: replay it once the receiver works.</p> : null}
                <details>
                  <summary className="cursor-pointer text-slate-600">Request and response</summary>
                  <p className="mt-1 font-mono text-xs">webhook-id: {entry.webhookId}</p>
                  <ScrollRegion label="Request body" className="mt-1 max-h-64 overflow-auto rounded bg-slate-50">
                    <pre className="p-2 text-xs">{JSON.stringify(entry.payload, null, 2)}</pre>
                  </ScrollRegion>
                  {entry.responseExcerpt ? (
                    <ScrollRegion label="Response body" className="mt-1 overflow-auto rounded bg-slate-50">
                      <pre className="p-2 text-xs">{entry.responseExcerpt}</pre>
                    </ScrollRegion>
                  ) : null}
                </details>
              </li>
            ))}
          </ul>
        )}
      </ListState>
    </section>
  );
}
