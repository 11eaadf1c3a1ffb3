"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { DateTime } from "@/components/date-time";
import { FormAlert } from "@/components/form/field";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import { SuccessStatus } from "@/components/form/success-status";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

const STATUS_LABELS = { live: "Live", expired: "Expired", revoked: "Revoked" } as const;

/** Every token of the organisation: scopes, expiry, last use; admins revoke a live one at once. */
export function ApiTokenList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.apiTokens.list.queryOptions());
  const revoke = useMutation(trpc.apiTokens.revoke.mutationOptions());
  const [done, setDone] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<{ id: string; name: string } | null>(null);

  const revokeToken = (id: string, name: string) => {
    setDone(null);
    setFailure(null);
    revoke.mutate(
      { tokenId: id },
      {
        onSettled: () => setConfirming(null),
        onSuccess: () => {
          setDone(`Token "${name}" revoked.`);
          void queryClient.invalidateQueries(trpc.apiTokens.pathFilter());
        },
        onError: (error) => setFailure(error.message),
      },
    );
  };

  return (
    <div className="space-y-3">
      <SuccessStatus message={done} />
      {failure ? <FormAlert>{failure}</FormAlert> : null}
      <ListState query={tokens} loading="Loading the API tokens…" failure="The API tokens could not be loaded" empty="No API token yet: nothing outside the browser can call Tenure.">
        {(items) => (
          <ul aria-label="API tokens" className="space-y-2">
            {items.map((token) => (
              <li key={token.id} className="flex flex-wrap items-start justify-between gap-3 rounded-lg border border-slate-200 bg-white p-4">
                <div className="min-w-0">
                  <h2 className="font-medium">
                    {token.name} <span className="text-sm font-normal text-slate-600">(…{token.hint})</span>{" "}
                    <span className={`ml-1 rounded px-1.5 py-0.5 text-xs ${token.status === "live" ? "bg-emerald-50 text-emerald-800" : "bg-slate-100 text-slate-700"}`}>{STATUS_LABELS[token.status]}</span>
                  </h2>
                  <p className="mt-1 text-sm text-slate-700">Scopes: {token.scopes.join(", ")}</p>
                  <p className="mt-1 text-sm text-slate-600">
                    Created <DateTime value={token.createdAt} />
                    {token.createdByName ? ` by ${token.createdByName}` : ""} · {token.status === "revoked" && token.revokedAt ? <>Revoked <DateTime value={token.revokedAt} /></> : <>Expires <DateTime value={token.expiresAt} /></>} · Last used:{" "}
                    {token.lastUsedAt ? (
                      <>
                        <DateTime value={token.lastUsedAt} />
                        {token.lastUsedAddress ? ` from ${token.lastUsedAddress}` : ""}
                      </>
                    ) : (
                      "never"
                    )}
                  </p>
                </div>
                {token.status === "live" ? (
                  <button type="button" className={SECONDARY_BUTTON} disabled={revoke.isPending} onClick={() => setConfirming({ id: token.id, name: token.name })}>
                    Revoke<span className="sr-only"> {token.name}</span>
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </ListState>
      {confirming ? (
        <ModalDialog title={`Revoke "${confirming.name}"?`} role="alertdialog" busy={revoke.isPending} onClose={() => setConfirming(null)}>
          <p className="text-sm text-slate-700">Whatever uses this token is refused from its next request. This cannot be undone: a new token would have to be created and installed.</p>
          <div className="mt-4 flex flex-wrap gap-2">
            <button type="button" className={SECONDARY_BUTTON} data-autofocus disabled={revoke.isPending} onClick={() => setConfirming(null)}>
              Cancel
            </button>
            <button type="button" className={PRIMARY_BUTTON} disabled={revoke.isPending} onClick={() => revokeToken(confirming.id, confirming.name)}>
              {revoke.isPending ? "Revoking…" : "Revoke token"}
            </button>
          </div>
        </ModalDialog>
      ) : null}
    </div>
  );
}
