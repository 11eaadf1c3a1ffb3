import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ForcedMfaEnrolment } from "@/components/me/forced-mfa-enrolment";
import { SignOutButton } from "@/components/sign-out-button";
import { requireMfaEnrolmentSession } from "@/server/auth/mfa/enrolment-session";
import { mfaStatusOf } from "@/server/auth/restricted-session-services";
import { confirmForcedEnrolment, startForcedEnrolment, stepUpForEnrolment } from "@/app/(auth)/mfa/enrol/actions";
import { safeRedirectPath } from "@/server/validation/safe-redirect";

export const metadata: Metadata = { title: "Set up two-step verification" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Where a member lands after signing in when the organisation requires MFA of them and they have none yet. */
export default async function ForcedMfaEnrolmentPage({ searchParams }: { searchParams: TSearchParams }) {
  const session = await requireMfaEnrolmentSession();
  // Only same-site paths: a crafted link cannot send someone elsewhere afterwards.
  const callbackUrl = safeRedirectPath(first((await searchParams).callbackUrl));
  // The session may do nothing but this, so the page reads through the service, not the API.
  const status = await mfaStatusOf(session.tenant.id, session.member.id);
  if (status.enabled || !status.required) redirect(callbackUrl);
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Set up two-step verification</h1>
      <p className="mb-4 text-sm text-slate-600">
        {session.tenant.name} requires a code from an authenticator app when <span className="font-medium">{session.member.username}</span> signs in. Set it
        up now to continue.
      </p>
      <ForcedMfaEnrolment
        callbackUrl={callbackUrl}
        actions={{ start: startForcedEnrolment, confirm: confirmForcedEnrolment, stepUp: stepUpForEnrolment }}
      />
      <div className="mt-6 flex justify-end">
        <SignOutButton />
      </div>
    </>
  );
}
