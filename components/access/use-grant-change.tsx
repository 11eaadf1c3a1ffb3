"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useCallback, useState, type ReactNode } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { AccessChangePreview } from "@/components/access/access-change-preview";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import { LoadFailure, LoadingState } from "@/components/list/list-state";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import type { TGrantChangeInput } from "@/server/access/grant-schemas";

/** A change to a department's or group's grants, with the words its dialog uses. */
export type TGrantChangeRequest = {
  change: TGrantChangeInput;
  /** The dialog's question: "Grant Developer to Engineering and everything below?" */
  title: string;
  confirmLabel: string;
  /** The success sentence once applied. */
  done: string;
};

/**
 * `openChange(request)` shows the preview of a grant change (asked of the
 * server fresh each time), applies it only on confirm (asking "Confirm it's
 * you" when the server wants a step-up), then calls `onDone` with the request's
 * success sentence. Render `grantChangeDialog` anywhere in the component.
 */
export function useGrantChange({ onDone }: { onDone: (message: string) => void }): { openChange: (request: TGrantChangeRequest) => void; grantChangeDialog: ReactNode } {
  const [request, setRequest] = useState<TGrantChangeRequest | null>(null);
  const openChange = useCallback((next: TGrantChangeRequest) => setRequest(next), []);
  const grantChangeDialog = request ? (
    <GrantChangeDialog
      // A new request is a new dialog: nothing of the previous one carries over.
      key={JSON.stringify(request.change)}
      request={request}
      onClose={() => setRequest(null)}
      onApplied={() => {
        setRequest(null);
        onDone(request.done);
      }}
    />
  ) : null;
  return { openChange, grantChangeDialog };
}

function GrantChangeDialog({ request, onClose, onApplied }: { request: TGrantChangeRequest; onClose: () => void; onApplied: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const preview = useQuery({ ...trpc.accessGrants.preview.queryOptions(request.change), staleTime: 0, gcTime: 0, retry: false });
  const { requireStepUp, stepUpDialog } = useStepUp();
  const [refusal, setRefusal] = useState<string | null>(null);
  const apply = useMutation(
    trpc.accessGrants.change.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.accessGrants.pathFilter()),
          queryClient.invalidateQueries(trpc.access.pathFilter()),
          queryClient.invalidateQueries(trpc.members.pathFilter()),
        ]);
      },
    }),
  );
  const confirm = () => {
    setRefusal(null);
    apply.mutate(request.change, {
      onSuccess: onApplied,
      onError: (error) => {
        if (!requireStepUp(error, confirm)) setRefusal(error.message);
      },
    });
  };

  if (preview.isPending || preview.isError) {
    return (
      <ModalDialog title={request.title} onClose={onClose}>
        <div className="mb-4">
          {preview.isPending ? (
            <LoadingState>Working out who gains and who loses what…</LoadingState>
          ) : (
            <LoadFailure failure="The preview could not be made" error={preview.error} onRetry={preview.refetch} />
          )}
        </div>
        <button type="button" data-autofocus onClick={onClose} className={SECONDARY_BUTTON}>
          Cancel
        </button>
      </ModalDialog>
    );
  }
  return (
    <>
      <AccessChangePreview
        changes={preview.data.changes}
        title={request.title}
        confirmLabel={request.confirmLabel}
        pending={apply.isPending}
        error={refusal}
        onConfirm={confirm}
        onCancel={onClose}
      />
      {stepUpDialog}
    </>
  );
}
