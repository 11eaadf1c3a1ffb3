"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

/**
 * A member's sign-in throttle on their page (admins): shown only while it
 * runs, with "Clear throttle". It is not the lifecycle's lock: the member's
 * sessions go on and their own devices still sign in.
 */
export function MemberSignInThrottle({ memberId }: { memberId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const throttle = useQuery(trpc.security.signInThrottle.queryOptions({ memberId }));
  const { requireStepUp, stepUpDialog } = useStepUp();
  const clear = useMutation(
    trpc.security.clearSignInThrottle.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(),
      // Sensitive (server/auth/sensitive-operations.ts): confirm it's you, then clear again.
      onError: (error, input) => requireStepUp(error, () => clear.mutate(input)),
    }),
  );
  const { unfamiliarUntil, familiarUntil } = throttle.data ?? { unfamiliarUntil: null, familiarUntil: null };
  const throttled = Boolean(unfamiliarUntil || familiarUntil);
  // Once cleared, the confirmation stays where the throttle was.
  if (!throttled && !clear.isSuccess) return null;
  return (
    <div className="mb-4 space-y-2" data-testid="member-sign-in-throttle">
      <SuccessStatus message={clear.isSuccess && !throttled ? "Sign-in throttle cleared: the member can sign in from any device again." : null} />
      {throttled ? (
      <FormAlert tone="info">
        {unfamiliarUntil ? <span className="block">Sign-in throttled until <DateTime value={unfamiliarUntil} /> for unfamiliar devices.</span> : null}
        {familiarUntil ? <span className="block">Sign-in throttled until <DateTime value={familiarUntil} /> for the member&apos;s own devices too.</span> : null}
        <span className="block text-slate-600">
          After failed sign-in attempts. The member is not locked: their sessions go on
          {unfamiliarUntil && !familiarUntil ? ", and a device they signed in on before still signs in" : ""}.
        </span>
        <button type="button" className={`${SECONDARY_BUTTON} mt-2`} disabled={clear.isPending} onClick={() => clear.mutate({ memberId })}>
          {clear.isPending ? "Clearing…" : "Clear throttle"}
        </button>
      </FormAlert>
      ) : null}
      {clear.error && !clear.isPending ? <FormAlert>{clear.error.message}</FormAlert> : null}
      {stepUpDialog}
    </div>
  );
}
