import type { Metadata } from "next";
import { ForgotPasswordForm } from "@/components/me/forgot-password-form";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Forgot password" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Public: a reset link by mail, for whoever knows the organisation and the username or email. */
export default async function ForgotPasswordPage({ searchParams }: { searchParams: TSearchParams }) {
  const params = await searchParams;
  const status = await (await serverCaller()).setup.status();
  return (
    <>
      <h1 className="mb-2 text-2xl font-semibold">Forgot your password?</h1>
      <p className="mb-4 text-sm text-slate-600">We mail a link to choose a new one to the email address of your account.</p>
      <ForgotPasswordForm defaults={{ organisation: first(params.organisation) ?? status.defaultOrganisation ?? "", login: first(params.login) ?? "" }} />
    </>
  );
}
