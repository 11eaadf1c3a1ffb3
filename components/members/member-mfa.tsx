"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useStepUp } from "@/components/step-up/use-step-up";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

/** A member's two-step verification as an admin sees it, with the reset for a lost device. */
export function MemberMfa({ memberId, memberName, isSelf }: { memberId: string; memberName: string; isSelf: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.auth.mfa.ofMember.queryOptions({ memberId }));
  const [notice, setNotice] = useState<string | null>(null);
  const { requireStepUp, stepUpDialog } = useStepUp();
  const reset = useMutation(
    trpc.auth.mfa.resetForMember.mutationOptions({
      onSuccess: async (result) => {
        setNotice(`Two-step verification of ${memberName} is reset; ${result.sessionsEnded} open session(s) ended.`);
        await queryClient.invalidateQueries();
      },
    }),
  );
  const submit = () =>
    reset.mutate(
      { memberId },
      {
        onError: (error) => {
          requireStepUp(error, submit);
        },
      },
    );

  return (
    <section aria-labelledby="member-mfa-heading" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id="member-mfa-heading" className="text-sm font-semibold text-slate-900">
        Two-step verification
      </h2>
      {status.isPending || status.isError ? (
        <QueryStatus query={status} loading="Loading…" failure="Two-step verification could not be loaded" />
      ) : (
        <div className="flex flex-wrap items-center gap-3 text-sm text-slate-700">
          <span data-testid="member-mfa-status">
            {status.data.enabled ? <>On since {status.data.enabledAt ? <DateTime value={status.data.enabledAt} /> : "—"}, {status.data.recoveryCodesLeft} recovery code(s) left.</> : "Off."}
            {status.data.required ? " Required by the organisation's policy." : ""}
          </span>
          {status.data.enabled && !isSelf ? (
            <button type="button" className={SECONDARY_BUTTON} disabled={reset.isPending} onClick={submit}>
              {reset.isPending ? "Resetting…" : "Reset (lost device)"}
            </button>
          ) : null}
        </div>
      )}
      <SuccessStatus message={notice} />
      {reset.error && !reset.error.data?.stepUpRequired ? <FormAlert>{reset.error.message}</FormAlert> : null}
      {stepUpDialog}
    </section>
  );
}
