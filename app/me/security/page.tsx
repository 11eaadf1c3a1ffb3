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
  const caller = await serverCaller();
  const [rules, profile] = await Promise.all([caller.security.passwordRules(), caller.me.get()]);
  const directoryPassword = profile.managedBy?.passwordByDirectory ? profile.managedBy.directoryName : null;
  const passwordChanged = (await searchParams).password === "changed";
  return (
    <>
      <PageHeader title="Security" description="Your password, two-step verification, where you are signed in and every sign-in to your account." />
      <div className="space-y-6">
        <SuccessStatus message={passwordChanged ? "Your password is changed. Every other session was signed out." : null} />
        <MySignInThrottle />
        {directoryPassword ? (
          // Sign-in checks this password with the directory (server/sign-in): it is changed there, not here.
          <section aria-labelledby="directory-password" className="space-y-1 rounded-lg border border-slate-200 bg-white p-4 text-sm">
            <h2 id="directory-password" className="font-semibold text-slate-900">
              Password
            </h2>
            <p className="text-slate-700">
              Your password is managed by your organisation&apos;s directory ({directoryPassword}): you sign in with it, and you change or reset it there, as you
              usually would.
            </p>
          </section>
        ) : (
          <ChangeOwnPassword minLength={rules.minLength} historyCount={rules.historyCount} />
        )}
        <MfaPanel />
        <MySessions />
        <MyLoginHistory />
      </div>
    </>
  );
}
