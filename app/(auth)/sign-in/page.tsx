import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { SignInForm } from "@/components/form/sign-in-form";
import { currentSession } from "@/server/auth/current-session";
import { signInNotice } from "@/server/auth/sign-in-notices";
import { serverCaller } from "@/server/trpc/server-caller";
import { safeRedirectPath } from "@/server/validation/safe-redirect";

export const metadata: Metadata = { title: "Sign in" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function SignInPage({ searchParams }: { searchParams: TSearchParams }) {
  const params = await searchParams;
  const status = await (await serverCaller()).setup.status();
  if (status.needed) redirect("/setup");
  // Signed in, but the password must be changed first: that page, not this form.
  const check = await currentSession();
  if (!check.live && check.reason === "password_change_required") {
    const callbackUrl = safeRedirectPath(first(params.callbackUrl), { fallback: "" });
    redirect(callbackUrl ? `/change-password?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/change-password");
  }
  // Signed in, but the organisation requires MFA and the member has none yet: setting it up comes first.
  if (!check.live && check.reason === "mfa_enrolment_required") {
    const callbackUrl = safeRedirectPath(first(params.callbackUrl), { fallback: "" });
    redirect(callbackUrl ? `/mfa/enrol?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/mfa/enrol");
  }
  const notice = first(params.setup) === "done"
    ? { tone: "success" as const, text: "Your organisation is ready. Sign in with the account you just created." }
    : signInNotice(first(params.reason));
  return (
    <>
      <h1 className="mb-6 text-2xl font-semibold">Sign in</h1>
      {notice ? (
        <div className="mb-4">
          {notice.tone === "success" ? <SuccessStatus message={notice.text} /> : <FormAlert tone={notice.tone}>{notice.text}</FormAlert>}
        </div>
      ) : null}
      <SignInForm
        callbackUrl={safeRedirectPath(first(params.callbackUrl))}
        defaults={{ organisation: first(params.organisation) ?? status.defaultOrganisation ?? "", login: first(params.login) ?? "" }}
      />
      <p className="mt-4 text-center text-sm">
        <Link href="/forgot-password" className="text-brand-700 hover:underline">
          Forgot your password?
        </Link>
      </p>
    </>
  );
}
