"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { resultOf } from "@/components/me/action-result";
import { ChangePasswordForm } from "@/components/security/change-password-form";
import { useTRPC } from "@/components/trpc/client";

/** Self-service → Security: the forced-change form, sent through the API (security.changePassword). */
export function ChangeOwnPassword({ minLength, historyCount }: { minLength: number; historyCount: number }) {
  const trpc = useTRPC();
  const headingId = useId();
  const queryClient = useQueryClient();
  // A password change ends every other session and writes to the sign-in history: what this page lists
  // (sessions, history, throttle) is stale at once, and the router's refresh does not reach client-side queries.
  const change = useMutation(trpc.security.changePassword.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  // Each change gets a fresh form (the shared form stays "done" after success) and a new address for the page's notice.
  const [changes, setChanges] = useState(0);
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <h2 id={headingId} className="text-sm font-semibold text-slate-900">
        Password
      </h2>
      <p className="text-xs text-slate-500">Changing it signs you out everywhere else.</p>
      <ChangePasswordForm
        key={changes}
        minLength={minLength}
        historyCount={historyCount}
        callbackUrl={`/me/security?password=changed&n=${changes + 1}`}
        changePassword={async (values) => {
          const result = await resultOf(() => change.mutateAsync(values));
          if (!result.ok) return { ok: false, message: result.message, fieldErrors: result.fieldErrors as Record<string, string[]> };
          setChanges((count) => count + 1);
          return { ok: true };
        }}
      />
    </section>
  );
}
