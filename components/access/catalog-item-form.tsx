"use client";

import { FormActions } from "@/components/form/form-actions";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId } from "react";
import { useForm, type Resolver } from "react-hook-form";
import type { z } from "zod";
import { KIND_LABELS } from "@/components/access/access-kinds";
import { Field, FormAlert } from "@/components/form/field";
import { applyServerFieldErrors } from "@/components/form/server-field-errors";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ZAccessItemCreate, ZAccessItemUpdate, type TAccessKind } from "@/server/access/schemas";

// The update schema's fields are the create schema's plus `itemId`: one form type for both.
type TValues = z.input<typeof ZAccessItemUpdate>;
type TOutput = z.output<typeof ZAccessItemUpdate>;

export type TCatalogItem = { id: string; name: string; description: string | null; permission: string | null };

const createResolver = zodResolver(ZAccessItemCreate) as unknown as Resolver<TValues, unknown, TOutput>;
const updateResolver = zodResolver(ZAccessItemUpdate);

function defaultsOf(kind: TAccessKind, item: TCatalogItem | undefined): Partial<TValues> {
  return {
    kind,
    name: item?.name ?? "",
    description: item?.description ?? "",
    // Only policies carry a permission (the schemas refuse one on other kinds), and only an edit an id.
    ...(kind === "policy" ? { permission: item?.permission ?? "" } : {}),
    ...(item ? { itemId: item.id } : {}),
  };
}

/**
 * Creates an item of `kind` or, given `item`, edits it inline. Validates with
 * the API's own schemas; the server's conflicts (a taken name, a permission
 * another policy has) land on their fields.
 */
export function CatalogItemForm({
  kind,
  item,
  onDone,
  onCancel,
}: {
  kind: TAccessKind;
  item?: TCatalogItem;
  onDone: (message: string) => void;
  onCancel?: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // The create form and an edit form can be open at once: each needs its own ids.
  const id = useId();
  const { one } = KIND_LABELS[kind];
  const form = useForm<TValues, unknown, TOutput>({ resolver: item ? updateResolver : createResolver, defaultValues: defaultsOf(kind, item) });
  // Changing a policy's permission asks "Confirm it's you" (server/auth/sensitive-operations.ts), then saves again.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const options = {
    onSuccess: async (saved: TCatalogItem) => {
      await queryClient.invalidateQueries(trpc.access.pathFilter());
      form.reset(defaultsOf(kind, item ? saved : undefined));
      onDone(item ? `Saved the ${one} “${saved.name}”.` : `Created the ${one} “${saved.name}”.`);
    },
    onError: (error: unknown) => {
      if (isStepUpRequired(error)) return;
      if (!applyServerFieldErrors(error, form.setError)) form.setError("root", { message: (error as Error).message });
    },
  };
  const create = useMutation(trpc.access.create.mutationOptions(options));
  const update = useMutation(trpc.access.update.mutationOptions(options));
  const pending = create.isPending || update.isPending;
  const { errors } = form.formState;

  return (
    <form
      noValidate
      aria-label={item ? `Edit “${item.name}”` : `New ${one}`}
      className="space-y-3"
      onSubmit={form.handleSubmit((values) => {
        const fields = { kind, name: values.name, description: values.description ?? null, permission: values.permission };
        if (item) {
          const input = { ...fields, itemId: item.id };
          const save = () => update.mutate(input, { onError: (error) => void requireStepUp(error, save) });
          save();
        }
        else create.mutate(fields);
      })}
    >
      <div
        className={`grid gap-3 ${
          kind === "policy" ? "md:grid-cols-[minmax(12rem,1fr)_minmax(12rem,1fr)_minmax(14rem,2fr)]" : "md:grid-cols-[minmax(12rem,1fr)_minmax(14rem,2fr)]"
        }`}
      >
        <Field id={`${id}-name`} label="Name" autoComplete="off" error={errors.name?.message} {...form.register("name")} />
        {kind === "policy" ? (
          <Field
            id={`${id}-permission`}
            label="Permission"
            autoComplete="off"
            autoCapitalize="none"
            spellCheck={false}
            hint="resource:action, e.g. members:read or reports:*"
            error={errors.permission?.message}
            // A blank field is "no permission", so the schema says to enter one rather than how to write it.
            {...form.register("permission", { setValueAs: (value: string) => (value.trim() === "" ? undefined : value) })}
          />
        ) : null}
        <Field
          id={`${id}-description`}
          label="Description (optional)"
          autoComplete="off"
          error={errors.description?.message}
          {...form.register("description")}
        />
      </div>
      <FormActions label={item ? "Save" : "Create"} pendingLabel="Saving…" pending={pending} onCancel={onCancel} />
      {errors.root?.message ? <FormAlert>{errors.root.message}</FormAlert> : null}
      {stepUpDialog}
    </form>
  );
}
