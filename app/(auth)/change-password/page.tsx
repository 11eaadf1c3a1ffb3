import type { Metadata } from "next";
import { changeOwnPassword } from "@/app/(auth)/change-password/actions";
import { FormAlert } from "@/components/form/field";
import { ChangePasswordForm } from "@/components/security/change-password-form";
import { SignOutButton } from "@/components/sign-out-button";
import { requirePasswordChangeSession } from "@/server/auth/current-session";
import { passwordRulesOf } from "@/server/auth/restricted-session-services";
import { safeRedirectPath } from "@/server/validation/safe-redirect";

export const metadata: Metadata = { title: "Change your password" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Where a member whose password is weak or expired lands after signing in; nothing else opens until it is changed. */
export default async function ChangePasswordPage({ searchParams }: { searchParams: TSearchParams }) {
  const session = await requirePasswordChangeSession();
  // The session may do nothing but this, so the page reads the rules through the service, not the API.
  const policy = await passwordRulesOf(session.tenant.id);
  const callbackUrl = safeRedirectPath(first((await searchParams).callbackUrl));
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Change your password</h1>
      <p className="mb-4 text-sm text-slate-600">
        Signed in as <span className="font-medium">{session.member.username}</span> ({session.tenant.name})
      </p>
      {session.passwordChangeRequired ? (
        <div className="mb-4">
          <FormAlert tone="info">
            Your password has expired or no longer meets your organisation&apos;s password rules. Choose a new one to continue.
          </FormAlert>
        </div>
      ) : null}
      <ChangePasswordForm changePassword={changeOwnPassword} minLength={policy.passwordMinLength} historyCount={policy.passwordHistoryCount} callbackUrl={callbackUrl} />
      <div className="mt-6 flex justify-end">
        <SignOutButton />
      </div>
    </>
  );
}
