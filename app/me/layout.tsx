import Link from "next/link";
import type { ReactNode } from "react";
import { MeTabs } from "@/components/me/me-tabs";
import { SignOutButton } from "@/components/sign-out-button";
import { SkipLink } from "@/components/skip-link";
import { isTenantAdmin } from "@/server/shared/roles";
import { requireSession } from "@/server/auth/current-session";

export default async function SelfServiceLayout({ children }: { children: ReactNode }) {
  const session = await requireSession();
  return (
    <div className="min-h-screen">
      <SkipLink />
      <header className="flex items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 py-3 sm:px-6">
        <div className="flex min-w-0 items-center gap-4">
          <Link href="/me" className="text-lg font-bold text-brand-700">
            Tenure
          </Link>
          <span className="truncate text-sm text-slate-500">{session.tenant.name}</span>
        </div>
        <div className="flex shrink-0 items-center gap-4">
          {isTenantAdmin(session.member.sysAdmin) ? (
            <Link href="/console" className="text-sm text-slate-700 hover:underline">
              Console
            </Link>
          ) : null}
          <SignOutButton />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="mx-auto max-w-3xl p-4 focus:outline-none sm:p-6">
        <MeTabs />
        {children}
      </main>
    </div>
  );
}
