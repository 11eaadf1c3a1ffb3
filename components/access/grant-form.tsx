"use client";

import { FormActions } from "@/components/form/form-actions";
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo } from "react";
import { useForm } from "react-hook-form";
import { z } from "zod";
import { KIND_LABELS, withArticle } from "@/components/access/access-kinds";
import { FormAlert } from "@/components/form/field";
import { SelectField } from "@/components/form/select-field";
import { useStepUp } from "@/components/step-up/use-step-up";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { ZAccessGrant, type TAccessKind } from "@/server/access/schemas";

/** The API's grant schema, with a message a person reads when nothing is chosen yet. */
const grantSchema = (kind: TAccessKind) => ZAccessGrant.extend({ itemId: z.string().min(1, `Choose ${withArticle(KIND_LABELS[kind].one)}`) });
type TValues = z.input<ReturnType<typeof grantSchema>>;
type TOutput = z.output<ReturnType<typeof grantSchema>>;

/** Grants one member an item of `kind` they do not hold yet, chosen from the organisation's catalogue. */
export function GrantForm({
  kind,
  memberId,
  heldIds,
  onDone,
  onCancel,
}: {
  kind: TAccessKind;
  memberId: string;
  heldIds: readonly string[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const id = useId();
  const labels = KIND_LABELS[kind];
  const catalogue = useQuery(trpc.access.list.queryOptions({ kind }));
  const schema = useMemo(() => grantSchema(kind), [kind]);
  const form = useForm<TValues, unknown, TOutput>({ resolver: zodResolver(schema), defaultValues: { kind, itemId: "", memberIds: [memberId] } });
  const { requireStepUp, stepUpDialog } = useStepUp();
  const grant = useMutation(
    trpc.access.grant.mutationOptions({
      onSuccess: async () => {
        await Promise.all([
          queryClient.invalidateQueries(trpc.access.pathFilter()),
          queryClient.invalidateQueries(trpc.members.timeline.pathFilter()),
        ]);
      },
    }),
  );
  const submit = (values: TOutput) => {
    const name = catalogue.data?.find((item) => item.id === values.itemId)?.name ?? values.itemId;
    grant.mutate(values, {
      onSuccess: ({ granted }) => onDone(granted > 0 ? `Granted the ${labels.one} “${name}”.` : `This member already held the ${labels.one} “${name}”.`),
      // Roles and policies ask for a recent step-up: confirm, then the same grant again.
      onError: (error) => {
        if (!requireStepUp(error, () => submit(values))) form.setError("root", { message: error.message });
      },
    });
  };

  if (catalogue.isPending || catalogue.isError) return <QueryStatus query={catalogue} loading={`Loading ${labels.many}…`} failure={`The ${labels.many} could not be loaded`} />;
  const held = new Set(heldIds);
  const available = catalogue.data.filter((item) => !held.has(item.id));
  if (available.length === 0) {
    return (
      <div className="flex flex-wrap items-center gap-2 text-sm text-slate-600">
        <p>
          {catalogue.data.length === 0 ? `No ${labels.many} exist yet.` : `This member holds every ${labels.one}.`}{" "}
          <Link href={labels.catalogPath} className="font-medium text-brand-700 underline">
            Manage {labels.many}
          </Link>
        </p>
        <button type="button" onClick={onCancel} className="text-xs text-brand-700 hover:underline">
          Close
        </button>
      </div>
    );
  }
  const options = available.map((item) => ({ value: item.id, label: item.permission ? `${item.name} (${item.permission})` : item.name }));

  return (
    <form
      noValidate
      aria-label={`Add ${withArticle(labels.one)}`}
      className="space-y-2"
      onSubmit={form.handleSubmit(submit)}
    >
      <SelectField
        id={`${id}-item`}
        label={`${labels.titleOne} to add`}
        emptyOption={`Choose ${withArticle(labels.one)}…`}
        options={options}
        error={form.formState.errors.itemId?.message}
        {...form.register("itemId")}
      />
      <FormActions label="Add" pendingLabel="Adding…" pending={grant.isPending} onCancel={onCancel} />
      {form.formState.errors.root?.message ? <FormAlert>{form.formState.errors.root.message}</FormAlert> : null}
      {stepUpDialog}
    </form>
  );
}
