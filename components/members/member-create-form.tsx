"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { FormProvider, useForm } from "react-hook-form";
import type { z } from "zod";
import { FormAlert } from "@/components/form/field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { ArchivedHolderLink } from "@/components/members/archived-holder-link";
import { MemberFormFields } from "@/components/members/member-form-fields";
import { useHydrated } from "@/components/form/use-hydrated";
import { useTRPC } from "@/components/trpc/client";
import { ZMemberCreate } from "@/server/members/schemas";
import { useUnsavedChangesGuard } from "@/components/form/use-unsaved-changes-guard";

type TInput = z.input<typeof ZMemberCreate>;
type TOutput = z.output<typeof ZMemberCreate>;

/** The console's "New member" form: on success, the new member's page with a notice. */
export function MemberCreateForm({ canGrantOwner }: { canGrantOwner: boolean }) {
  const router = useRouter();
  const hydrated = useHydrated();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // No defaultValues: the form starts from what the inputs hold, so nothing typed before hydration is lost.
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(ZMemberCreate), mode: "onTouched" });
  const create = useMutation(
    trpc.members.create.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries(trpc.members.list.pathFilter());
        router.push(`/console/members/${id}?created=1`);
      },
      onError: (error) => {
        if (isStepUpRequired(error)) return;
        if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: error.message });
      },
    }),
  );
  // Making an admin or owner asks the session to confirm it's them first.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const submit = (values: TOutput) => create.mutate(values, { onError: (error) => void requireStepUp(error, () => submit(values)) });
  const pending = create.isPending || create.isSuccess;
  const leaveDialog = useUnsavedChangesGuard(form.formState.isDirty && !create.isSuccess);
  const rootError = form.formState.errors.root?.message;

  return (
    <FormProvider {...form}>
      <form noValidate onSubmit={form.handleSubmit(submit)} className="max-w-3xl space-y-6">
        {rootError ? <FormAlert>{rootError}</FormAlert> : null}
        <ArchivedHolderLink error={create.error} />
        {stepUpDialog}
        {leaveDialog}
        <MemberFormFields canGrantOwner={canGrantOwner} />
        <div className="flex items-center gap-3">
          <button type="submit" disabled={!hydrated || pending} className={PRIMARY_BUTTON}>
            {pending ? "Creating…" : "Create member"}
          </button>
          <Link href="/console/members" className={SECONDARY_BUTTON}>
            Cancel
          </Link>
        </div>
      </form>
    </FormProvider>
  );
}
