"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ConsoleSidebar } from "@/components/console/sidebar";

const DRAWER_ID = "console-nav-drawer";

/**
 * The console's navigation below the `lg` breakpoint, where the sidebar is
 * hidden: a "Menu" button opening a drawer built on the browser's modal
 * <dialog> (focus moves into it and stays there, the page behind is inert,
 * Escape closes it and focus returns to the button). It also closes when a
 * link in it is followed: it is open only at the address it was opened on.
 */
export function ConsoleNavDrawer({ tenantName }: { tenantName: string }) {
  const pathname = usePathname();
  const [openAt, setOpenAt] = useState<string | null>(null);
  const open = openAt === pathname;
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      // The current section's link, so a keyboard user starts where they are.
      (dialog.querySelector<HTMLElement>("[aria-current='page']") ?? dialog.querySelector<HTMLElement>("a"))?.focus();
    }
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={DRAWER_ID}
        onClick={() => setOpenAt(open ? null : pathname)}
        className="inline-flex items-center gap-2 rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 lg:hidden"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="size-4" fill="currentColor">
          <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
        </svg>
        Menu
      </button>
      <dialog
        ref={ref}
        id={DRAWER_ID}
        aria-label="Menu"
        // Escape and the browser's own close: keep React's state in step.
        onClose={() => setOpenAt(null)}
        // A click on the backdrop lands on the <dialog> itself (the panel fills it otherwise); following a
        // link to the page already shown changes no address, so a link's click closes it too.
        onClick={(event) => {
          if (event.target === event.currentTarget || (event.target as HTMLElement).closest("a")) setOpenAt(null);
        }}
        className="fixed inset-y-0 left-0 m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r border-slate-200 bg-white p-0 text-slate-900 shadow-xl backdrop:bg-slate-900/40"
      >
        <div className="flex h-full flex-col p-4">
          <div className="mb-6 flex items-start justify-between gap-2">
            <div className="min-w-0">
              <Link href="/console" className="block text-lg font-bold text-brand-700">
                Tenure
              </Link>
              <p className="truncate text-xs text-slate-500">{tenantName}</p>
            </div>
            <button
              type="button"
              onClick={() => setOpenAt(null)}
              className="rounded-md border border-slate-300 px-2 py-1 text-sm font-medium text-slate-700 hover:bg-slate-100"
            >
              Close
            </button>
          </div>
          <ConsoleSidebar />
        </div>
      </dialog>
    </>
  );
}
