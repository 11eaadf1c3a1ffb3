"use client";

import { FormActions } from "@/components/form/form-actions";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SelectField } from "@/components/form/select-field";
import { KIND_LABELS } from "@/components/access/access-kinds";
import { countMembers } from "@/components/members/member-list-labels";
import { useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ACCESS_KINDS, type TAccessKind } from "@/server/access/schemas";

/** Grants one role, group, application or policy to every selected member (access.grant, set-based). */
export function BulkGrantForm({ memberIds, onGranted, onCancel }: { memberIds: readonly string[]; onGranted: (message: string) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<TAccessKind>("role");
  const [itemId, setItemId] = useState("");
  const items = useQuery(trpc.access.list.queryOptions({ kind }));
  const { requireStepUp, stepUpDialog } = useStepUp();
  const grant = useMutation(
    trpc.access.grant.mutationOptions({
      onSuccess: async (result) => {
        await queryClient.invalidateQueries(trpc.access.pathFilter());
        const name = items.data?.find((item) => item.id === itemId)?.name ?? "";
        const held = result.alreadyHeld > 0 ? ` (${countMembers(result.alreadyHeld)} already held it)` : "";
        const first = result.refused[0];
        const refused = first ? ` Not granted to ${countMembers(result.refused.length)}: ${first.username}: ${first.message}${result.refused.length > 1 ? ", …" : ""}.` : "";
        onGranted(`Granted the ${KIND_LABELS[kind].one} “${name}” to ${countMembers(result.granted)}${held}.${refused}`);
      },
      // Roles and policies ask for a recent step-up: confirm, then the same grant again.
      onError: (error, variables) => requireStepUp(error, () => grant.mutate(variables)),
    }),
  );
  const options = (items.data ?? []).map((item) => ({ value: item.id, label: item.permission ? `${item.name} (${item.permission})` : item.name }));

  return (
    <form
      noValidate
      className="flex flex-wrap items-end gap-3"
      onSubmit={(event) => {
        event.preventDefault();
        if (itemId) grant.mutate({ kind, itemId, memberIds: [...memberIds] });
      }}
    >
      <div className="min-w-40">
        <SelectField
          id="bulk-grant-kind"
          label="Kind of access"
          options={ACCESS_KINDS.map((value) => ({ value, label: KIND_LABELS[value].titleOne }))}
          value={kind}
          disabled={grant.isPending}
          onChange={(event) => {
            setKind(event.target.value as TAccessKind);
            setItemId("");
            grant.reset();
          }}
        />
      </div>
      <div className="min-w-64">
        <SelectField
          id="bulk-grant-item"
          label={`${KIND_LABELS[kind].titleOne} to grant`}
          emptyOption={items.isPending ? "Loading…" : `Choose ${KIND_LABELS[kind].one === "application" ? "an" : "a"} ${KIND_LABELS[kind].one}`}
          options={options}
          value={itemId}
          disabled={grant.isPending}
          hint={items.isSuccess && options.length === 0 ? `No ${KIND_LABELS[kind].many} yet.` : undefined}
          error={items.isError ? `The ${KIND_LABELS[kind].many} could not be loaded: ${items.error.message}` : undefined}
          onChange={(event) => setItemId(event.target.value)}
        />
      </div>
      <FormActions label={`Grant to ${countMembers(memberIds.length)}`} pendingLabel="Granting…" pending={grant.isPending} disabled={!itemId} onCancel={onCancel} />
      {grant.isError ? <FormAlert>Nothing was granted: {grant.error.message}</FormAlert> : null}
      {stepUpDialog}
    </form>
  );
}
