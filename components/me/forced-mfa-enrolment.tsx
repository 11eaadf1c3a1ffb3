"use client";

import { useRouter } from "next/navigation";
import { continueAfterSignIn } from "@/components/navigation/continue-after-sign-in";
import { MfaEnrolment, type TMfaEnrolmentActions } from "@/components/me/mfa-enrolment";

/** The enrolment the organisation's policy forces after sign-in (server actions); then on to where the member was going. */
export function ForcedMfaEnrolment({ actions, callbackUrl }: { actions: TMfaEnrolmentActions; callbackUrl: string }) {
  const router = useRouter();
  return (
    <MfaEnrolment
      actions={actions}
      onFinished={() => continueAfterSignIn(router, callbackUrl)}
    />
  );
}
