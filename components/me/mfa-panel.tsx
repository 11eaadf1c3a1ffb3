"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { resultOf } from "@/components/me/action-result";
import { MfaEnrolment, type TMfaEnrolmentActions } from "@/components/me/mfa-enrolment";
import { RecoveryCodes } from "@/components/me/recovery-codes";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

/** Self-service → Security: the member's second factor: set it up, new recovery codes, turn it off. */
export function MfaPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const [notice, setNotice] = useState<string | null>(null);
  const [freshCodes, setFreshCodes] = useState<string[] | null>(null);
  const status = useQuery(trpc.auth.mfa.status.queryOptions());
  const { requireStepUp, stepUpDialog } = useStepUp();
  const { askConfirmation, confirmDialog } = useConfirm();
  const refresh = () => queryClient.invalidateQueries(trpc.auth.mfa.pathFilter());
  const start = useMutation(trpc.auth.mfa.start.mutationOptions());
  const confirm = useMutation(trpc.auth.mfa.confirm.mutationOptions());
  const regenerate = useMutation(
    trpc.auth.mfa.regenerateRecoveryCodes.mutationOptions({
      onSuccess: async ({ recoveryCodes }) => {
        setFreshCodes(recoveryCodes);
        await refresh();
      },
      onError: (error) => requireStepUp(error, () => regenerate.mutate()),
    }),
  );
  const remove = useMutation(
    trpc.auth.mfa.remove.mutationOptions({
      onSuccess: async () => {
        setNotice("Two-step verification is off. Signing in asks only for your password.");
        await refresh();
      },
      onError: (error) => requireStepUp(error, () => remove.mutate()),
    }),
  );
  const actions: TMfaEnrolmentActions = {
    start: () => resultOf(() => start.mutateAsync()),
    confirm: (input) => resultOf(() => confirm.mutateAsync(input)),
  };
  // A refusal that only asked for "Confirm it's you" is not an error to show: the dialog is.
  const failure = [regenerate.error, remove.error].find((error) => error && !isStepUpRequired(error));

  let body;
  if (status.isPending || status.isError) {
    body = <QueryStatus query={status} loading="Loading…" failure="Two-step verification could not be loaded" />;
  } else if (freshCodes) {
    body = <RecoveryCodes codes={freshCodes} onDone={() => setFreshCodes(null)} />;
  } else if (!status.data.enabled) {
    body = (
      <>
        {status.data.required ? <FormAlert tone="info">Your organisation requires two-step verification for your account.</FormAlert> : null}
        <MfaEnrolment
          actions={actions}
          onFinished={() => {
            setNotice("Two-step verification is on.");
            void refresh();
          }}
        />
      </>
    );
  } else {
    const { enabledAt, recoveryCodesLeft, required } = status.data;
    body = (
      <div className="space-y-3">
        <p className="text-sm text-slate-700" data-testid="mfa-state">
          <span className="rounded bg-emerald-100 px-1.5 py-0.5 text-xs font-semibold text-emerald-800">On</span>{" "}
          {enabledAt ? <>since <DateTime value={enabledAt} /></> : null} · {recoveryCodesLeft} recovery code{recoveryCodesLeft === 1 ? "" : "s"} left
        </p>
        {recoveryCodesLeft <= 3 ? <FormAlert tone="info">Few recovery codes are left: make new ones.</FormAlert> : null}
        <div className="flex flex-wrap gap-2">
          <button type="button" className={SECONDARY_BUTTON} disabled={regenerate.isPending} onClick={() => (setNotice(null), regenerate.mutate())}>
            {regenerate.isPending ? "Making codes…" : "New recovery codes"}
          </button>
          {required ? (
            <p className="self-center text-xs text-slate-500">Your organisation requires it, so it cannot be turned off.</p>
          ) : (
            <button
              type="button"
              className="text-sm font-medium text-red-700 hover:underline disabled:opacity-60"
              disabled={remove.isPending}
              onClick={async () => {
                setNotice(null);
                const confirmed = await askConfirmation({
                  title: "Turn off two-step verification?",
                  message: "Signing in will ask only for your password.",
                  confirmLabel: "Turn it off",
                  destructive: true,
                });
                if (confirmed) remove.mutate();
              }}
            >
              Turn off two-step verification
            </button>
          )}
        </div>
      </div>
    );
  }

  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={headingId} className="text-sm font-semibold text-slate-900">
        Two-step verification
      </h2>
      <p className="text-xs text-slate-500">A code from an app on your phone after your password, so a stolen password alone cannot open your account.</p>
      <SuccessStatus message={notice} />
      {failure ? <FormAlert>{failure.message}</FormAlert> : null}
      {body}
      {stepUpDialog}
      {confirmDialog}
    </section>
  );
}

