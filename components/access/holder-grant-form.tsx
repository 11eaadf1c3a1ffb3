"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useForm, useWatch } from "react-hook-form";
import { z } from "zod";
import { FormActions } from "@/components/form/form-actions";
import { SelectField } from "@/components/form/select-field";
import type { TGrantChangeRequest } from "@/components/access/use-grant-change";
import { useTRPC } from "@/components/trpc/client";
import { ZGrantToDepartment, type TInheritableKind } from "@/server/access/grant-schemas";

/** The grant schema's own fields, with words for a choice not made yet. */
const ZHolderGrantForm = ZGrantToDepartment.pick({ kind: true, subtree: true }).extend({ itemId: z.string().min(1, "Choose one") });
type TValues = z.input<typeof ZHolderGrantForm>;

const KIND_OPTIONS = [
  { value: "role", label: "Role" },
  { value: "application", label: "Application" },
];

/** A department or group: who receives the grant, and the words its dialog uses. */
export type TGrantHolder = { type: "department"; id: string; name: string } | { type: "group"; id: string; name: string };

function requestFor(holder: TGrantHolder, values: TValues, itemName: string): TGrantChangeRequest {
  const what = `the ${values.kind} “${itemName}”`;
  if (holder.type === "group") {
    return {
      change: { change: "grantToGroup", groupId: holder.id, kind: values.kind, itemId: values.itemId },
      title: `Grant ${what} to the group ${holder.name}?`,
      confirmLabel: `Grant to ${holder.name}`,
      done: `Granted ${what} to the group ${holder.name}.`,
    };
  }
  const where = values.subtree ? `${holder.name} and everything below` : holder.name;
  return {
    change: { change: "grantToDepartment", departmentId: holder.id, kind: values.kind, itemId: values.itemId, subtree: values.subtree },
    title: `Grant ${what} to ${where}?`,
    confirmLabel: values.subtree ? `Grant to ${holder.name} and below` : `Grant to ${holder.name}`,
    done: `Granted ${what} to ${where}.`,
  };
}

/** Chooses a role or application the holder has not been granted directly; the preview comes next (`onPreview`). */
export function HolderGrantForm({ holder, grantedKeys, onPreview }: { holder: TGrantHolder; grantedKeys: ReadonlySet<string>; onPreview: (request: TGrantChangeRequest) => void }) {
  const trpc = useTRPC();
  const id = useId();
  const form = useForm<TValues>({ resolver: zodResolver(ZHolderGrantForm), defaultValues: { kind: "role", itemId: "", subtree: false } });
  const kind: TInheritableKind = useWatch({ control: form.control, name: "kind" });
  const catalogue = useQuery(trpc.access.list.queryOptions({ kind }));
  const available = (catalogue.data ?? []).filter((item) => !grantedKeys.has(`${kind}:${item.id}`));
  return (
    <form
      noValidate
      aria-label={`Grant to ${holder.name}`}
      className="grid gap-3 sm:grid-cols-[10rem_1fr]"
      onSubmit={form.handleSubmit((values) => {
        const name = catalogue.data?.find((item) => item.id === values.itemId)?.name ?? values.itemId;
        onPreview(requestFor(holder, values, name));
      })}
    >
      <SelectField id={`${id}-kind`} label="Kind" options={KIND_OPTIONS} {...form.register("kind", { onChange: () => form.setValue("itemId", "") })} />
      <SelectField
        id={`${id}-item`}
        label={kind === "role" ? "Role to grant" : "Application to grant"}
        emptyOption={catalogue.isPending ? "Loading…" : available.length === 0 ? "Nothing left to grant" : "Choose…"}
        options={available.map((item) => ({ value: item.id, label: item.name }))}
        error={form.formState.errors.itemId?.message ?? (catalogue.isError ? `The list could not be loaded: ${catalogue.error.message}` : undefined)}
        {...form.register("itemId")}
      />
      {holder.type === "department" ? (
        <label className="flex items-center gap-2 text-sm text-slate-700 sm:col-span-2">
          <input type="checkbox" className="h-4 w-4 rounded border-slate-300" {...form.register("subtree")} />
          Also every department below {holder.name}
        </label>
      ) : null}
      <div className="sm:col-span-2">
        <FormActions label="Preview the grant" pendingLabel="Preparing…" pending={false} />
      </div>
    </form>
  );
}
