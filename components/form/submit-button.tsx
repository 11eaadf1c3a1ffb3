"use client";

import type { ReactNode } from "react";
import { useHydrated } from "@/components/form/use-hydrated";

/** The form's submit button: disabled while the form is sent, and until React runs (see useHydrated). */
export function SubmitButton({ pending, children }: { pending: boolean; children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <button
      type="submit"
      disabled={pending || !hydrated}
      className="w-full rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60"
    >
      {pending ? "Please wait…" : children}
    </button>
  );
}
