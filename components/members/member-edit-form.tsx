"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { FormProvider, useForm } from "react-hook-form";
import type { z } from "zod";
import { FormAlert } from "@/components/form/field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { StaleEditNotice } from "@/components/form/stale-edit-notice";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { MemberFormFields } from "@/components/members/member-form-fields";
import { useHydrated } from "@/components/form/use-hydrated";
import type { TMemberEditValues } from "@/components/members/member-form-values";
import { useTRPC } from "@/components/trpc/client";
import { ZMemberUpdate } from "@/server/members/schemas";
import type { TManagedBy } from "@/server/shared/managed-fields";
import { useStepUp } from "@/components/step-up/use-step-up";
import { ArchivedHolderLink } from "@/components/members/archived-holder-link";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";

type TInput = z.input<typeof ZMemberUpdate>;
type TOutput = z.output<typeof ZMemberUpdate>;

type TProps = {
  initial: TMemberEditValues;
  canGrantOwner: boolean;
  roleLockedReason?: string | null;
  /** The directory that fills some fields: read-only in the form (the server refuses changes anyway). */
  managedBy?: TManagedBy | null;
};

/**
 * Edits a member from the version it was loaded with. When someone else saved
 * in between, the server refuses (CONFLICT without field errors) and the form
 * offers to reload. The page renders this with `key` = that version, so the
 * reloaded page mounts a fresh form with the fresh values.
 */
export function MemberEditForm({ initial, canGrantOwner, roleLockedReason, managedBy = null }: TProps) {
  const router = useRouter();
  const hydrated = useHydrated();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [staleMessage, setStaleMessage] = useState<string | null>(null);
  const [reloading, startReload] = useTransition();
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZMemberUpdate), mode: "onTouched", defaultValues: initial });
  const detailPath = `/console/members/${initial.memberId}`;

  const { requireStepUp, stepUpDialog } = useStepUp();
  const update = useMutation(
    trpc.members.update.mutationOptions({
      onSuccess: async ({ changed }) => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.members.timeline.pathFilter()),
          queryClient.invalidateQueries(trpc.members.list.pathFilter()),
        ]);
        router.push(`${detailPath}?saved=${encodeURIComponent(changed.join(","))}`);
      },
      onError: (error, values) => {
        // A role change asks for a recent step-up: confirm, then the same save again.
        if (requireStepUp(error, () => update.mutate(values))) return;
        if (applyServerFieldErrors(error, form.setError)) return;
        if (error.data?.code === "CONFLICT") {
          setStaleMessage(error.message);
          return;
        }
        form.setError("root", { message: error.message });
      },
    }),
  );
  const pending = update.isPending || update.isSuccess;
  const leaveDialog = useUnsavedChangesGuard(form.formState.isDirty && !update.isSuccess);
  const rootError = form.formState.errors.root?.message;

  return (
    <FormProvider {...form}>
      <form
        noValidate
        onSubmit={form.handleSubmit((values) => {
          setStaleMessage(null);
          update.mutate(values);
        })}
        className="max-w-3xl space-y-6"
      >
        <input type="hidden" {...form.register("memberId")} />
        <input type="hidden" {...form.register("expectedLastModifiedDate")} />
        {staleMessage ? (
          <StaleEditNotice
            title="This member was changed by someone else."
            message={staleMessage}
            reloading={reloading}
            onReload={() => startReload(() => router.refresh())}
          />
        ) : null}
        {rootError ? <FormAlert>{rootError}</FormAlert> : null}
        <ArchivedHolderLink error={update.error} />
        <MemberFormFields canGrantOwner={canGrantOwner} roleLockedReason={roleLockedReason} managedBy={managedBy} />
        <div className="flex items-center gap-3">
          <button type="submit" disabled={!hydrated || pending || reloading} className={PRIMARY_BUTTON}>
            {pending ? "Saving…" : "Save changes"}
          </button>
          <Link href={detailPath} className={SECONDARY_BUTTON}>
            Cancel
          </Link>
        </div>
      </form>
      {stepUpDialog}
      {leaveDialog}
    </FormProvider>
  );
}
