import type { Metadata } from "next";
import Link from "next/link";
import { FormAlert } from "@/components/form/field";
import { ResetPasswordForm } from "@/components/me/reset-password-form";
import { serverCaller } from "@/server/trpc/server-caller";

// The token is the credential: no referrer carries it to another site.
export const metadata: Metadata = { title: "Choose a new password", referrer: "no-referrer" };

type TParams = Promise<{ token: string }>;

/** Where a reset mail leads: who the link is for, and the new password; any unusable link says only that. */
export default async function ResetPasswordPage({ params }: { params: TParams }) {
  const { token } = await params;
  const link = await (await serverCaller()).auth.passwordReset.link({ token: token.slice(0, 200) });
  if (!link) {
    return (
      <>
        <h1 className="mb-4 text-2xl font-semibold">Reset your password</h1>
        <FormAlert>This password reset link is no longer valid.</FormAlert>
        <p className="mt-4 text-sm text-slate-600">
          Links work once and for 30 minutes, and a newer link replaces older ones.{" "}
          <Link href="/forgot-password" className="font-medium text-brand-700 underline">
            Ask for a new link
          </Link>
          .
        </p>
      </>
    );
  }
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Choose a new password</h1>
      <p className="mb-4 text-sm text-slate-600">
        For <span className="font-medium text-slate-900" data-testid="reset-username">{link.username}</span> in {link.organisation}. Setting it signs you out everywhere.
      </p>
      <ResetPasswordForm token={token} minLength={link.passwordMinLength} historyCount={link.historyCount} />
    </>
  );
}
