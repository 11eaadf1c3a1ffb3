import Link from "next/link";
import type { ReactNode } from "react";
import { ConsoleSidebar } from "@/components/console/sidebar";
import { SkipLink } from "@/components/skip-link";
import { SignOutButton } from "@/components/sign-out-button";
import { requireAdminSession } from "@/server/auth/current-session";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireAdminSession();
  return (
    <div className="flex min-h-screen">
      <SkipLink />
      <aside className="w-60 shrink-0 border-r border-slate-200 bg-white p-4">
        <Link href="/console" className="mb-1 block text-lg font-bold text-brand-700">
          Tenure
        </Link>
        <p className="mb-6 truncate text-xs text-slate-500" data-testid="tenant-name">
          {session.tenant.name}
        </p>
        <ConsoleSidebar />
      </aside>
      {/* min-w-0: a wide table scrolls inside the page instead of widening it. */}
      <div className="min-w-0 flex-1">
        <div className="flex items-center justify-end gap-4 border-b border-slate-200 bg-white px-6 py-3">
          <Link href="/me" className="text-sm text-slate-700 hover:underline">
            {session.member.fullName}
          </Link>
          <SignOutButton />
        </div>
        <main id="main" tabIndex={-1} className="p-6 focus:outline-none">{children}</main>
      </div>
    </div>
  );
}
