"use client";

import { useQuery } from "@tanstack/react-query";
import { FormAlert } from "@/components/form/field";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

/** The member's own view of a sign-in throttle on their account (someone failed to sign in as them). */
export function MySignInThrottle() {
  const trpc = useTRPC();
  const throttle = useQuery(trpc.security.mySignInThrottle.queryOptions());
  const { unfamiliarUntil, familiarUntil } = throttle.data ?? { unfamiliarUntil: null, familiarUntil: null };
  if (!unfamiliarUntil && !familiarUntil) return null;
  return (
    <FormAlert tone="info">
      <span data-testid="my-sign-in-throttle">
        After failed sign-in attempts, signing in to your account is paused
        {unfamiliarUntil ? <> until <DateTime value={unfamiliarUntil} /> from devices you have not signed in on before</> : ""}
        {familiarUntil ? <>{unfamiliarUntil ? ", and" : ""} until <DateTime value={familiarUntil} /> from your own devices too</> : ""}. Your sessions are not affected. If the
        attempts were not yours, choose a new, unique password below.
      </span>
    </FormAlert>
  );
}
