import type { Metadata } from "next";
import Link from "next/link";
import { FormAlert } from "@/components/form/field";
import { AcceptInvitationForm } from "@/components/onboarding/accept-invitation-form";
import { serverCaller } from "@/server/trpc/server-caller";
import { DateTime } from "@/components/date-time";

// The token is the credential: no referrer carries it to another site.
export const metadata: Metadata = { title: "Choose your password", referrer: "no-referrer" };

type TParams = Promise<{ token: string }>;

/** Where an invitation mail leads: the organisation and username, and the first password to choose. */
export default async function InvitationPage({ params }: { params: TParams }) {
  const { token } = await params;
  const invitation = await (await serverCaller()).onboarding.invitation({ token: token.slice(0, 200) });
  if (!invitation) {
    return (
      <>
        <h1 className="mb-4 text-2xl font-semibold">Invitation</h1>
        <FormAlert>This invitation link is no longer valid.</FormAlert>
        <p className="mt-4 text-sm text-slate-600">
          Links work once and for seven days. Ask your administrator to send you a new invitation, or{" "}
          <Link href="/sign-in" className="font-medium text-brand-700 underline">
            sign in
          </Link>{" "}
          if you have already chosen your password.
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Choose your password</h1>
      <p className="mb-4 text-sm text-slate-600">
        You are invited to <span className="font-medium text-slate-900">{invitation.organisation}</span> as{" "}
        <span className="font-medium text-slate-900" data-testid="invited-username">
          {invitation.username}
        </span>
        .
      </p>
      {invitation.startDate ? (
        <div className="mb-4">
          <FormAlert tone="info">Your account opens at <DateTime value={invitation.startDate} />. You can choose your password now and sign in from then.</FormAlert>
        </div>
      ) : null}
      <AcceptInvitationForm token={token} minLength={invitation.passwordMinLength} />
    </>
  );
}
