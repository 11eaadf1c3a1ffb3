import type { Metadata } from "next";
import { SuccessStatus } from "@/components/form/success-status";
import { ChangeOwnPassword } from "@/components/me/change-own-password";
import { MfaPanel } from "@/components/me/mfa-panel";
import { MyLoginHistory } from "@/components/me/my-login-history";
import { MySessions } from "@/components/me/my-sessions";
import { MySignInThrottle } from "@/components/me/my-sign-in-throttle";
import { PageHeader } from "@/components/page-header";
import { requireSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Security" };

type TSearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The member's own security: password, two-step verification, sessions and sign-in history. */
export default async function MySecurityPage({ searchParams }: { searchParams: TSearchParams }) {
  await requireSession();
  const rules = await (await serverCaller()).security.passwordRules();
  const passwordChanged = (await searchParams).password === "changed";
  return (
    <>
      <PageHeader title="Security" description="Your password, two-step verification, where you are signed in and every sign-in to your account." />
      <div className="space-y-6">
        <SuccessStatus message={passwordChanged ? "Your password is changed. Every other session was signed out." : null} />
        <MySignInThrottle />
        <ChangeOwnPassword minLength={rules.minLength} historyCount={rules.historyCount} />
        <MfaPanel />
        <MySessions />
        <MyLoginHistory />
      </div>
    </>
  );
}
