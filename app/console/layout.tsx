import Link from "next/link";
import type { ReactNode } from "react";
import { NotificationBell } from "@/components/alerts/notification-bell";
import { ConsoleNavDrawer } from "@/components/console/nav-drawer";
import { ConsoleSidebar } from "@/components/console/sidebar";
import { SkipLink } from "@/components/skip-link";
import { SignOutButton } from "@/components/sign-out-button";
import { requireAdminSession } from "@/server/auth/current-session";

// The sidebar from the `lg` breakpoint up; below it, a menu button and a drawer
// (a phone at 390 px has no room for a 240 px column beside the page).
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const session = await requireAdminSession();
  return (
    <div className="flex min-h-screen">
      <SkipLink />
      <aside className="hidden w-60 shrink-0 border-r border-slate-200 bg-white p-4 lg:block">
        <Link href="/console" className="mb-1 block text-lg font-bold text-brand-700">
          Tenure
        </Link>
        <p className="mb-6 truncate text-xs text-slate-500" data-testid="tenant-name">
          {session.tenant.name}
        </p>
        <ConsoleSidebar />
      </aside>
      {/* min-w-0: a wide table scrolls inside its own box instead of widening the page. */}
      <div className="min-w-0 flex-1">
        <div className="flex items-center justify-end gap-3 border-b border-slate-200 bg-white px-4 py-3 sm:gap-4 sm:px-6">
          <div className="mr-auto flex items-center gap-3 lg:hidden">
            <ConsoleNavDrawer tenantName={session.tenant.name} />
            <Link href="/console" className="text-lg font-bold text-brand-700">
              Tenure
            </Link>
          </div>
          <NotificationBell />
          <Link href="/me" className="min-w-0 truncate text-sm text-slate-700 hover:underline">
            {session.member.fullName}
          </Link>
          <SignOutButton />
        </div>
        <main id="main" tabIndex={-1} className="p-4 wrap-break-word focus:outline-none sm:p-6">
          {children}
        </main>
      </div>
    </div>
  );
}
