"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { DirectorySettingsForm } from "@/components/directories/directory-settings-form";
import type { TDirectoryInput } from "@/server/directories/directory-schemas";
import type { TDirectoryView } from "@/server/directories/get-directory";

/** The saved settings as the form's values (the password field starts empty: the stored one is kept). */
function formValuesOf(directory: TDirectoryView): TDirectoryInput {
  const { name, preset, url, startTls, caCertificate, bindDn, baseDn, userFilter, pageSize, syncIntervalMinutes, attributeMapping, departmentSource, departmentAttribute, departmentParentId } = directory;
  const { groupBaseDn, groupFilter, linkExistingBy, deprovisionAction, reenableReturning, safetyStopPercent, signInByBind } = directory;
  return {
    name, preset, url, startTls, caCertificate, bindDn, bindPassword: "", baseDn, userFilter, pageSize, syncIntervalMinutes, attributeMapping, departmentSource, departmentAttribute,
    departmentParentId, groupBaseDn, groupFilter, linkExistingBy, deprovisionAction, reenableReturning, safetyStopPercent, signInByBind,
  };
}

/** A saved directory's settings form, and deleting it (owners, after a confirmation that says what becomes of its members). */
export function DirectorySettingsPanel({ directory, canEdit }: { directory: TDirectoryView; canEdit: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { askConfirmation, confirmDialog } = useConfirm();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const remove = useMutation(trpc.directories.delete.mutationOptions());
  const deleteDirectory = () =>
    remove.mutate(
      { directoryId: directory.id },
      {
        onSuccess: () => {
          void queryClient.invalidateQueries(trpc.directories.pathFilter());
          router.push("/console/settings/directories");
        },
        onError: (error) => requireStepUp(error, deleteDirectory) },
    );
  const members = directory.memberCount === 1 ? "Its 1 member stays" : `Its ${directory.memberCount} members stay`;
  const deleteButton = canEdit ? (
    <button
      type="button"
      className={SECONDARY_BUTTON}
      disabled={remove.isPending}
      onClick={async () => {
        const confirmed = await askConfirmation({
          title: `Delete the directory ${directory.name}?`,
          message: `${members} in Tenure as local members: their fields are no longer managed by the directory, and nobody signs in through it any more. The deletion is recorded in the audit trail.`,
          confirmLabel: "Delete the directory",
          destructive: true,
        });
        if (confirmed) deleteDirectory();
      }}
    >
      {remove.isPending ? "Deleting…" : "Delete the directory"}
    </button>
  ) : null;
  return (
    <>
      {remove.isError && !isStepUpRequired(remove.error) ? <FormAlert>{remove.error.message}</FormAlert> : null}
      <DirectorySettingsForm
        directoryId={directory.id}
        version={directory.settingsUpdatedAt}
        initial={formValuesOf(directory)}
        hasBindPassword={directory.hasBindPassword}
        canEdit={canEdit}
        onSaved={() => router.refresh()}
        actions={deleteButton}
      />
      {confirmDialog}
      {stepUpDialog}
    </>
  );
}
