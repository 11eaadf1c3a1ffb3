"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { PRIMARY_BUTTON } from "@/components/form/button-styles";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { DateTime } from "@/components/date-time";

/**
 * "As before": after enable, the apps and policies the last disable or
 * resignation revoked, to grant again by choice (enable never restores them
 * silently). Shows nothing when there is nothing to suggest.
 */
export function RegrantPanel({ memberId, onDone }: { memberId: string; onDone: (message: string) => Promise<void> | void }) {
  const trpc = useTRPC();
  const suggestions = useQuery(trpc.lifecycle.regrantSuggestions.queryOptions({ memberId }));
  const [unchecked, setUnchecked] = useState<Set<string>>(new Set());
  const regrant = useMutation(
    trpc.lifecycle.regrant.mutationOptions({
      onSuccess: async (result) => {
        await suggestions.refetch();
        await onDone(`Granted again: ${result.applications} application(s), ${result.policies} polic${result.policies === 1 ? "y" : "ies"}.`);
      },
    }),
  );
  // Policies granted back ask "Confirm it's you" first (server/auth/sensitive-operations.ts), then the same grant again.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const data = suggestions.data;
  if (!data || data.applications.length + data.policies.length === 0) return null;
  const items = [...data.applications.map((item) => ({ ...item, kind: "application" as const })), ...data.policies.map((item) => ({ ...item, kind: "policy" as const }))];
  const key = (item: { kind: string; id: string }) => `${item.kind}:${item.id}`;
  const chosen = items.filter((item) => !unchecked.has(key(item)));

  return (
    <section aria-labelledby="regrant-heading" className="rounded-md border border-sky-200 bg-sky-50 p-4 text-sm">
      <h3 id="regrant-heading" className="font-semibold text-sky-900">
        Grant access as before?
      </h3>
      <p className="mt-1 text-sky-900">
        {data.revokedAt ? <>Revoked on <DateTime value={data.revokedAt} /></> : "Revoked earlier"}; enabling did not give these back. Choose what to grant again:
      </p>
      <ul className="mt-2 space-y-1">
        {items.map((item) => (
          <li key={key(item)}>
            <label className="flex items-center gap-2">
              <input
                type="checkbox"
                checked={!unchecked.has(key(item))}
                onChange={(event) =>
                  setUnchecked((previous) => {
                    const next = new Set(previous);
                    if (event.target.checked) next.delete(key(item));
                    else next.add(key(item));
                    return next;
                  })
                }
              />
              {item.name} <span className="text-xs text-slate-600">({item.kind === "application" ? "application" : "policy"})</span>
            </label>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className={`${PRIMARY_BUTTON} mt-3`}
        disabled={chosen.length === 0 || regrant.isPending}
        onClick={() => {
          const input = {
            memberId,
            applicationIds: chosen.filter((item) => item.kind === "application").map((item) => item.id),
            policyIds: chosen.filter((item) => item.kind === "policy").map((item) => item.id),
          };
          const grantAgain = () => regrant.mutate(input, { onError: (error) => void requireStepUp(error, grantAgain) });
          grantAgain();
        }}
      >
        {regrant.isPending ? "Granting…" : `Grant ${chosen.length} again`}
      </button>
      {stepUpDialog}
      {regrant.error && !isStepUpRequired(regrant.error) ? (
        <p role="alert" className="mt-2 text-red-700">
          {regrant.error.message}
        </p>
      ) : null}
    </section>
  );
}
