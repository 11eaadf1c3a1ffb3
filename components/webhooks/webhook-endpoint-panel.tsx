"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { DateTime } from "@/components/date-time";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { DANGER_OUTLINE_BUTTON } from "@/components/lifecycle/danger-button";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { QueryStatus } from "@/components/list/list-state";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { WebhookEndpointForm } from "@/components/webhooks/webhook-endpoint-form";
import { endpointStatus, STATUS_TONES } from "@/components/webhooks/webhook-labels";
import { WebhookSecretOnce } from "@/components/webhooks/webhook-secret-once";

/** One endpoint: its state and events; "Send test event" for admins; edit, rotate, disable or enable, delete for owners. */
export function WebhookEndpointPanel({ endpointId, isOwner }: { endpointId: string; isOwner: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const { askConfirmation, confirmDialog } = useConfirm();
  const [editing, setEditing] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const endpoint = useQuery(trpc.webhooks.get.queryOptions({ endpointId }));
  const refresh = () => Promise.all([queryClient.invalidateQueries(trpc.webhooks.get.pathFilter()), queryClient.invalidateQueries(trpc.webhooks.log.pathFilter())]);
  const outcome = (done: string) => ({
    onSuccess: () => {
      setFailure(null);
      setMessage(done);
      void refresh();
    },
  });
  const onError = (retry: () => void) => (error: unknown) => {
    if (requireStepUp(error, retry)) return;
    setMessage(null);
    setFailure((error as Error).message);
  };
  const sendTest = useMutation(trpc.webhooks.sendTest.mutationOptions());
  const setEnabled = useMutation(trpc.webhooks.setEnabled.mutationOptions());
  const rotate = useMutation(trpc.webhooks.rotateSecret.mutationOptions());
  const remove = useMutation(trpc.webhooks.delete.mutationOptions());

  if (endpoint.isPending || endpoint.isError) return <QueryStatus query={endpoint} loading="Loading the endpoint…" failure="The endpoint could not be loaded" />;
  const current = endpoint.data;
  const status = endpointStatus(current);

  const test = () => sendTest.mutate({ endpointId }, { ...outcome("Test event queued: it appears in the delivery log below within seconds."), onError: onError(test) });
  const toggle = () => setEnabled.mutate({ endpointId, enabled: !current.enabled }, { ...outcome(current.enabled ? "Endpoint disabled." : "Endpoint enabled: its events are sent again."), onError: onError(toggle) });
  const rotateNow = () =>
    rotate.mutate(
      { endpointId },
      {
        onSuccess: (rotated) => {
          setFailure(null);
          setSecret(rotated.secret);
          setMessage("New secret made. The old one keeps signing beside it for 24 hours.");
          void refresh();
        },
        onError: onError(rotateNow),
      },
    );
  const deleteNow = () => remove.mutate({ endpointId }, { onSuccess: () => router.push("/console/settings/webhooks"), onError: onError(deleteNow) });
  const askRotate = async () => {
    if (await askConfirmation({ title: "Make a new signing secret?", message: "The receiver must switch to the new secret within 24 hours: until then requests carry both signatures.", confirmLabel: "Make a new secret" })) rotateNow();
  };
  const askDelete = async () => {
    if (await askConfirmation({ title: "Delete this endpoint?", message: "Its events stop at once and its delivery log is deleted with it.", confirmLabel: "Delete the endpoint", destructive: true })) deleteNow();
  };
  const busy = sendTest.isPending || setEnabled.isPending || rotate.isPending || remove.isPending;

  return (
    <section aria-labelledby="webhook-endpoint-heading" className="space-y-4">
      <h2 id="webhook-endpoint-heading" className="sr-only">
        Endpoint
      </h2>
      <div className="space-y-2 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        <p>
          <span className={`rounded border px-2 py-0.5 text-xs ${STATUS_TONES[status.tone]}`}>{status.label}</span>
          {current.disabledAt ? (
            <span className="ml-2 text-slate-600">
              since <DateTime value={current.disabledAt} />
            </span>
          ) : null}
        </p>
        {current.description ? <p className="text-slate-700">{current.description}</p> : null}
        <p className="text-slate-700">
          Events: <span className="font-mono">{current.eventTypes.join(", ")}</span>
        </p>
        {current.previousSecretValidUntil ? (
          <p className="text-slate-700">
            The previous secret keeps signing until <DateTime value={current.previousSecretValidUntil} />.
          </p>
        ) : null}
        {current.failingSince ? (
          <p className="text-amber-900">
            Failing since <DateTime value={current.failingSince} />: after a day of failures Tenure disables it and alerts the owners.
          </p>
        ) : null}
      </div>
      <div className="flex flex-wrap gap-2">
        <button type="button" className={SECONDARY_BUTTON} disabled={busy || !current.enabled} onClick={test}>
          {sendTest.isPending ? "Sending…" : "Send test event"}
        </button>
        {isOwner ? (
          <>
            <button type="button" className={SECONDARY_BUTTON} disabled={busy} onClick={() => setEditing((open) => !open)}>
              {editing ? "Close the form" : "Edit"}
            </button>
            <button type="button" className={SECONDARY_BUTTON} disabled={busy} onClick={() => void askRotate()}>
              Rotate secret
            </button>
            <button type="button" className={SECONDARY_BUTTON} disabled={busy} onClick={toggle}>
              {current.enabled ? "Disable" : "Enable"}
            </button>
            <button type="button" className={DANGER_OUTLINE_BUTTON} disabled={busy} onClick={() => void askDelete()}>
              Delete
            </button>
          </>
        ) : null}
      </div>
      <SuccessStatus message={message} />
      {failure ? <FormAlert>{failure}</FormAlert> : null}
      {secret ? <WebhookSecretOnce secret={secret} /> : null}
      {editing ? (
        <WebhookEndpointForm
          endpointId={endpointId}
          initial={{ url: current.url, description: current.description, eventTypes: current.eventTypes as never }}
          onSaved={() => {
            setEditing(false);
            setMessage("Endpoint saved.");
            void refresh();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
      {stepUpDialog}
      {confirmDialog}
    </section>
  );
}
