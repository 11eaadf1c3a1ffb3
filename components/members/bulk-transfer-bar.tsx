"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ReactNode } from "react";
import { FormAlert } from "@/components/form/field";
import { SelectField } from "@/components/form/select-field";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { BulkGrantForm } from "@/components/members/bulk-grant-form";
import type { TDepartmentOption } from "@/components/members/department-options";
import { countMembers } from "@/components/members/member-list-labels";
import { useAccessChangeConfirm } from "@/components/access/use-access-change-confirm";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";

/** What departments.transferMembers accepts at once (server/org/schemas.ts ZMembersTransfer). */
export const MAX_TRANSFER = 1000;

/**
 * The bulk bar over the member list while members are selected: how many,
 * "Transfer to department…", which moves each of them out of every department
 * into the chosen one (which becomes their main department), and "Grant
 * access…" (a role, group, application or policy for all of them).
 */
export function BulkTransferBar({
  memberIds,
  departments,
  onDone,
  onClearSelection,
  lifecycleActions,
  relationsReadOnly = false,
}: {
  memberIds: readonly string[];
  /** Where members can be moved: the regular departments (not Departed). */
  departments: readonly TDepartmentOption[];
  onDone: (message: string) => void;
  onClearSelection: () => void;
  /** Lock, disable, resign… for the selection (components/lifecycle/bulk-lifecycle-actions.tsx). */
  lifecycleActions?: ReactNode;
  /** Archived members' relations cannot change: no transfer or grant. */
  relationsReadOnly?: boolean;
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  // Before moving anyone: whose access changes, from the transfer's own code rolled back on the server.
  const { confirmAccessChange, confirmDialog, previewing } = useAccessChangeConfirm();
  const [previewFailure, setPreviewFailure] = useState<{ selection: string; message: string } | null>(null);
  const [open, setOpen] = useState(false);
  const [granting, setGranting] = useState(false);
  const [target, setTarget] = useState("");
  const transfer = useMutation(
    trpc.departments.transferMembers.mutationOptions({
      onSuccess: async (result) => {
        // Every loaded view of the list (main departments, department filters) and the tree's counts.
        await Promise.all([
          queryClient.invalidateQueries(trpc.members.list.pathFilter()),
          queryClient.invalidateQueries(trpc.departments.tree.pathFilter()),
        ]);
        const destination = departments.find((department) => department.value === result.departmentId)?.label ?? "the department";
        setOpen(false);
        setTarget("");
        onDone(`Moved ${countMembers(result.transferred)} to ${destination}.`);
      },
    }),
  );
  const count = memberIds.length;
  const tooMany = count > MAX_TRANSFER;
  // A refusal concerns the selection it was for: once the selection changes, it no longer applies.
  const failedForThisSelection = transfer.isError && transfer.variables?.memberIds.join(",") === memberIds.join(",");
  const previewFailed = previewFailure?.selection === memberIds.join(",") ? previewFailure.message : null;

  const moveSelected = async () => {
    if (!target || tooMany || previewing) return;
    const input = { memberIds: [...memberIds], toDepartmentId: target };
    const destination = departments.find((department) => department.value === target)?.label ?? "the department";
    setPreviewFailure(null);
    transfer.reset();
    let confirmed: boolean;
    try {
      confirmed = await confirmAccessChange({
        title: `Move ${countMembers(count)} to “${destination}”?`,
        confirmLabel: `Move ${countMembers(count)}`,
        preview: () => client.departments.previewTransferMembers.mutate(input),
      });
    } catch (error) {
      return setPreviewFailure({ selection: input.memberIds.join(","), message: (error as Error).message });
    }
    if (confirmed) transfer.mutate(input);
  };

  return (
    <section
      aria-label="Bulk actions"
      className="sticky top-0 z-10 space-y-3 rounded-lg border border-brand-600/40 bg-brand-50 px-4 py-3 shadow-sm"
    >
      <div className="flex flex-wrap items-center gap-3">
        <p aria-live="polite" className="text-sm font-semibold text-slate-900">
          {count.toLocaleString("en")} selected
        </p>
        <button type="button" onClick={onClearSelection} className="text-sm font-medium text-brand-700 hover:underline">
          Clear selection
        </button>
        {open || granting || relationsReadOnly ? null : (
          <>
            <button
              type="button"
              onClick={() => {
                transfer.reset();
                setOpen(true);
              }}
              className={PRIMARY_BUTTON}
            >
              Transfer to department…
            </button>
            <button type="button" onClick={() => setGranting(true)} className={SECONDARY_BUTTON}>
              Grant access…
            </button>
          </>
        )}
      </div>
      {open || granting ? null : lifecycleActions}
      {granting ? (
        <BulkGrantForm
          memberIds={memberIds}
          onCancel={() => setGranting(false)}
          onGranted={(message) => {
            setGranting(false);
            onDone(message);
          }}
        />
      ) : null}
      {open ? (
        <form
          noValidate
          className="flex flex-wrap items-end gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            void moveSelected();
          }}
        >
          <div className="min-w-64">
            <SelectField
              id="bulk-transfer-department"
              label="Destination department"
              emptyOption="Choose a department"
              options={departments}
              value={target}
              disabled={transfer.isPending}
              hint={
                departments.length === 0
                  ? "No departments yet: create one on the Departments page."
                  : "Each selected member leaves their departments and joins this one, as their main department."
              }
              onChange={(event) => setTarget(event.target.value)}
            />
          </div>
          <button type="submit" disabled={!target || tooMany || transfer.isPending} className={PRIMARY_BUTTON}>
            {transfer.isPending ? "Moving…" : previewing ? "Working out whose access changes…" : `Move ${countMembers(count)}`}
          </button>
          <button
            type="button"
            disabled={transfer.isPending}
            onClick={() => {
              setOpen(false);
              transfer.reset();
            }}
            className={SECONDARY_BUTTON}
          >
            Cancel
          </button>
        </form>
      ) : null}
      {tooMany ? <FormAlert>At most {MAX_TRANSFER.toLocaleString("en")} members can be moved at once: select fewer.</FormAlert> : null}
      {failedForThisSelection ? <FormAlert>The members were not moved: {transfer.error.message}</FormAlert> : null}
      {previewFailed ? <FormAlert>The members were not moved: {previewFailed}</FormAlert> : null}
      {confirmDialog}
    </section>
  );
}
