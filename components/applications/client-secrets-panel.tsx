"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { DateTime, useTimeZone } from "@/components/date-time";
import { formatDateTime } from "@/components/members/member-labels";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { OVERLAP_CHOICES } from "@/components/applications/sign-in-labels";
import type { TApplicationSignInView } from "@/server/applications/get-application-sign-in";

/**
 * The secrets that still work (by their last four characters and expiry),
 * "Rotate secret" with the time the previous one keeps working, and revoking
 * an earlier one. A new secret goes to `onSecret`, shown once.
 */
export function ClientSecretsPanel({ view, canEdit, onSecret }: { view: TApplicationSignInView; canEdit: boolean; onSecret: (secret: string, note: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const overlapId = useId();
  const timeZone = useTimeZone();
  const [overlapHours, setOverlapHours] = useState("24");
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const refresh = () => queryClient.invalidateQueries(trpc.applicationSignIn.get.queryFilter({ applicationId: view.id }));
  const rotate = useMutation(trpc.applicationSignIn.rotateSecret.mutationOptions({ onSettled: refresh }));
  const revoke = useMutation(trpc.applicationSignIn.revokeSecret.mutationOptions({ onSettled: refresh }));

  const rotateSecret = (hours: number) =>
    rotate.mutate(
      { applicationId: view.id, previousSecretValidForHours: hours },
      {
        onSuccess: (result) => {
          setNotice("Secret rotated.");
          onSecret(result.secret, hours === 0 ? "The previous secret has stopped working." : `The previous secret keeps working until ${formatDateTime(result.previousValidUntil, timeZone)}.`);
        },
        onError: (error) => void requireStepUp(error, () => rotateSecret(hours)),
      },
    );
  const revokeSecret = (secretId: string, hint: string) =>
    revoke.mutate(
      { applicationId: view.id, secretId },
      { onSuccess: () => setNotice(`The secret ending ${hint} no longer works.`), onError: (error) => void requireStepUp(error, () => revokeSecret(secretId, hint)) },
    );
  const failure = [rotate.error, revoke.error].find((error) => error && !isStepUpRequired(error));

  return (
    <div className="space-y-3">
      {view.secrets.length === 0 ? (
        <p className="text-sm text-slate-600">No secret works for this application.</p>
      ) : (
        <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Client secrets that still work</caption>
          <thead className="text-xs text-slate-600">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Secret</th>
              <th scope="col" className="py-1 pr-3 font-medium">Created</th>
              <th scope="col" className="py-1 pr-3 font-medium">Works until</th>
              <th scope="col" className="py-1 font-medium"><span className="sr-only">Actions</span></th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {view.secrets.map((secret) => (
              <tr key={secret.id}>
                <td className="py-1.5 pr-3 font-mono">…{secret.hint}</td>
                <td className="py-1.5 pr-3">
                  <DateTime value={secret.createdAt} />
                  {secret.createdBy ? <span className="text-slate-600"> by {secret.createdBy}</span> : null}
                </td>
                <td className="py-1.5 pr-3">{secret.current ? "Current" : <DateTime value={secret.expiresAt!} />}</td>
                <td className="py-1.5 text-right">
                  {canEdit && !secret.current ? (
                    <button
                      type="button"
                      className="text-red-700 hover:underline disabled:opacity-60"
                      disabled={revoke.isPending}
                      onClick={async () => {
                        setNotice(null);
                        const confirmed = await askConfirmation({
                          title: `Revoke the secret ending ${secret.hint}?`,
                          message: "It stops working at once: a deployment still using it can no longer sign members in.",
                          confirmLabel: "Revoke the secret",
                          destructive: true,
                        });
                        if (confirmed) revokeSecret(secret.id, secret.hint);
                      }}
                    >
                      Revoke<span className="sr-only"> the secret ending {secret.hint}</span>
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {canEdit ? (
        <div className="flex flex-wrap items-end gap-3">
          <div className="space-y-1">
            <label htmlFor={overlapId} className="block text-sm font-medium text-slate-700">
              The previous secret keeps working
            </label>
            <select id={overlapId} value={overlapHours} onChange={(event) => setOverlapHours(event.target.value)} className="rounded-md border border-slate-300 bg-white px-3 py-2 text-sm">
              {OVERLAP_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className={SECONDARY_BUTTON}
            disabled={rotate.isPending}
            onClick={async () => {
              setNotice(null);
              const hours = Number(overlapHours);
              const chosen = OVERLAP_CHOICES.find((choice) => choice.value === overlapHours)?.label ?? "";
              const confirmed = await askConfirmation({
                title: "Rotate the client secret?",
                message: hours === 0 ? "A new secret is made and the previous ones stop working at once." : `A new secret is made; the previous one keeps working for ${chosen}, time to redeploy the application with the new one.`,
                confirmLabel: "Rotate the secret",
                destructive: hours === 0,
              });
              if (confirmed) rotateSecret(hours);
            }}
          >
            {rotate.isPending ? "Rotating…" : "Rotate secret"}
          </button>
        </div>
      ) : null}
      {failure ? <FormAlert>{failure.message}</FormAlert> : null}
      <SuccessStatus message={notice} />
      {confirmDialog}
      {stepUpDialog}
    </div>
  );
}
