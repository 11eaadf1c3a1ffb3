"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { DateTime } from "@/components/date-time";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { ListState } from "@/components/list/list-state";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";

const STATUS_LABELS = { current: "Signing now", next: "Next (published, not signing yet)", retired: "Retired" } as const;

const Moment = ({ value }: { value: Date | null }) => (value ? <DateTime value={value} /> : <span className="text-slate-500">—</span>);

/** The installation's signing keys by kid (public facts only), and "Rotate" for owners after a confirmation and a step-up. */
export function SigningKeysPanel({ canRotate }: { canRotate: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const keys = useQuery(trpc.signingKeys.list.queryOptions());
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const rotate = useMutation(trpc.signingKeys.rotate.mutationOptions({ onSettled: () => queryClient.invalidateQueries(trpc.signingKeys.pathFilter()) }));
  const rotateKeys = () =>
    rotate.mutate(undefined, {
      onSuccess: (result) => setNotice(`Rotated: the key ${result.activatedKid.slice(0, 12)}… signs now; a new next key is published.`),
      onError: (error) => void requireStepUp(error, rotateKeys),
    });

  return (
    <div className="space-y-4">
      {canRotate ? (
        <div className="space-y-2">
          <button
            type="button"
            className={SECONDARY_BUTTON}
            disabled={rotate.isPending}
            onClick={async () => {
              setNotice(null);
              const confirmed = await askConfirmation({
                title: "Rotate the signing keys?",
                message:
                  "The next key (already published) starts signing; the current one is retired and stays published for 24 hours, so tokens it signed still verify. Every organisation on this installation signs with these keys.",
                confirmLabel: "Rotate the keys",
              });
              if (confirmed) rotateKeys();
            }}
          >
            {rotate.isPending ? "Rotating…" : "Rotate"}
          </button>
          {rotate.isError && !isStepUpRequired(rotate.error) ? <FormAlert>{rotate.error.message}</FormAlert> : null}
        </div>
      ) : (
        <FormAlert tone="info">Only owners rotate the signing keys.</FormAlert>
      )}
      <SuccessStatus message={notice} />
      <ListState query={keys} loading="Loading the signing keys…" failure="The signing keys could not be loaded" empty="No signing keys yet: they are made when the first application signs a member in.">
        {(rows) => (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Signing keys</caption>
              <thead className="bg-slate-50 text-xs text-slate-600">
                <tr>
                  <th scope="col" className="px-3 py-2 font-medium">Key id (kid)</th>
                  <th scope="col" className="px-3 py-2 font-medium">Status</th>
                  <th scope="col" className="px-3 py-2 font-medium">Created</th>
                  <th scope="col" className="px-3 py-2 font-medium">Signing since</th>
                  <th scope="col" className="px-3 py-2 font-medium">Retired</th>
                  <th scope="col" className="px-3 py-2 font-medium">Published until</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {rows.map((key) => (
                  <tr key={key.kid}>
                    <td className="max-w-56 truncate px-3 py-2 font-mono text-xs" title={key.kid}>
                      {key.kid}
                    </td>
                    <td className="px-3 py-2">{STATUS_LABELS[key.status]}</td>
                    <td className="px-3 py-2"><Moment value={key.createdAt} /></td>
                    <td className="px-3 py-2"><Moment value={key.activatedAt} /></td>
                    <td className="px-3 py-2"><Moment value={key.retiredAt} /></td>
                    <td className="px-3 py-2">{key.status === "retired" ? <Moment value={key.publishedUntil} /> : "While in use"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ListState>
      {confirmDialog}
      {stepUpDialog}
    </div>
  );
}
