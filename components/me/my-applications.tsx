"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

/**
 * /me → Applications: what the member can sign in to (with a link that starts
 * the application's sign-in), and "End session" where they have one, which
 * for a third-party application also withdraws the consent they gave.
 */
export function MyApplications() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const applications = useQuery(trpc.myApplications.list.queryOptions());
  const end = useMutation(trpc.myApplications.endSession.mutationOptions({ onSettled: () => queryClient.invalidateQueries(trpc.myApplications.list.pathFilter()) }));

  return (
    <section aria-label="Your applications" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <SuccessStatus message={notice} />
      {end.error ? <FormAlert>{end.error.message}</FormAlert> : null}
      <ListState query={applications} loading="Loading your applications…" failure="Your applications could not be loaded" empty="You have no applications to sign in to yet." inline>
        {(items) => (
          <ul aria-label="Applications you can sign in to" className="divide-y divide-slate-100 text-sm">
            {items.map((application) => (
              <li key={application.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2" data-testid="my-application">
                <span className="font-medium text-slate-900">{application.name}</span>
                {application.description ? <span className="text-xs text-slate-600">{application.description}</span> : null}
                <span className="text-xs text-slate-600">
                  {application.liveSession ? "Signed in" : "Not signed in"}
                  {application.consentGiven ? " · you allowed it to read your details" : ""}
                </span>
                <span className="ml-auto flex gap-3">
                  {application.signInUrl ? (
                    <a href={application.signInUrl} className="text-xs font-medium text-brand-700 underline">
                      Open<span className="sr-only"> {application.name}</span>
                    </a>
                  ) : null}
                  {application.liveSession || application.consentGiven ? (
                    <button
                      type="button"
                      disabled={end.isPending}
                      className="text-xs font-medium text-red-700 underline disabled:opacity-60"
                      onClick={async () => {
                        setNotice(null);
                        end.reset();
                        const confirmed = await askConfirmation({
                          title: `End your session at ${application.name}?`,
                          message: application.firstParty
                            ? "You are signed out of it on every device. You stay signed in to Tenure."
                            : "You are signed out of it on every device, and it asks your permission again next time. You stay signed in to Tenure.",
                          confirmLabel: "End session",
                          destructive: true,
                        });
                        if (confirmed) end.mutate({ applicationId: application.id }, { onSuccess: () => setNotice(`Ended your session at ${application.name}.`) });
                      }}
                    >
                      End session<span className="sr-only"> at {application.name}</span>
                    </button>
                  ) : null}
                </span>
              </li>
            ))}
          </ul>
        )}
      </ListState>
      {confirmDialog}
    </section>
  );
}
