"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState } from "react";
import { countOf, deleteConfirmation, deletedNotice, KIND_LABELS } from "@/components/access/access-kinds";
import { CatalogItemForm } from "@/components/access/catalog-item-form";
import { RolePoliciesEditor } from "@/components/access/role-policies-editor";
import { GroupGrantsPanel } from "@/components/access/group-grants-panel";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TAccessKind } from "@/server/access/schemas";

type TAction = { itemId: string; kind: "edit" | "policies" | "grants" } | null;

const actionClass = "text-brand-700 hover:underline";

function PermissionChip({ permission, title }: { permission: string; title?: string }) {
  return (
    <code title={title} className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">
      {permission}
    </code>
  );
}

/**
 * One kind's catalogue (roles, groups, applications or policies): a create
 * form, then every item with its member count and inline Edit, Delete and,
 * for roles, the choice of policies.
 */
export function CatalogTab({ kind }: { kind: TAccessKind }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const headingId = useId();
  const labels = KIND_LABELS[kind];
  const items = useQuery(trpc.access.list.queryOptions({ kind }));
  const [action, setAction] = useState<TAction>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const remove = useMutation(
    trpc.access.delete.mutationOptions({
      // Also after a failure: the item may have been deleted elsewhere, and the list should say so.
      onSettled: async () => {
        await queryClient.invalidateQueries(trpc.access.pathFilter());
      },
    }),
  );
  // Deleting a role or policy asks "Confirm it's you" first (server/auth/sensitive-operations.ts), then deletes.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const { askConfirmation, confirmDialog } = useConfirm();
  const deleteItem = (itemId: string, name: string) =>
    remove.mutate(
      { kind, itemId },
      {
        onSuccess: ({ revokedGrants }) => setNotice(deletedNotice(name, revokedGrants)),
        onError: (error) => void requireStepUp(error, () => deleteItem(itemId, name)),
      },
    );
  const done = (message: string) => {
    setAction(null);
    setNotice(message);
  };
  const open = (next: TAction) => {
    setNotice(null);
    remove.reset();
    setAction(next);
  };

  const list = (
    <ListState
      query={items}
      loading={`Loading ${labels.many}…`}
      failure={`The ${labels.many} could not be loaded`}
      empty={`No ${labels.many} yet. Create the first one above.`}
    >
      {(catalogueItems) => (
      <ul aria-label={labels.title} className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
        {catalogueItems.map((item) => {
          const acting = action?.itemId === item.id ? action.kind : null;
          return (
            <li key={item.id} aria-label={item.name} className="space-y-3 px-4 py-3 text-sm">
              <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
                {kind === "application" ? (
                  // An application's own page holds its sign-in (OpenID Connect) settings.
                  <Link href={`/console/apps/${item.id}`} className="font-medium text-brand-700 hover:underline">
                    {item.name}
                  </Link>
                ) : (
                  <span className="font-medium text-slate-900">{item.name}</span>
                )}
                {item.permission ? <PermissionChip permission={item.permission} /> : null}
                <span className="text-xs text-slate-500" data-testid="member-count">
                  {countOf(item.memberCount, "member", "members")}
                </span>
                <span className="ml-auto flex gap-3 text-xs">
                  <button type="button" className={actionClass} onClick={() => open({ itemId: item.id, kind: "edit" })}>
                    Edit
                    <span className="sr-only"> {item.name}</span>
                  </button>
                  {kind === "role" ? (
                    <button type="button" className={actionClass} onClick={() => open({ itemId: item.id, kind: "policies" })}>
                      Policies…
                      <span className="sr-only"> for {item.name}</span>
                    </button>
                  ) : null}
                  {kind === "group" ? (
                    <button
                      type="button"
                      aria-expanded={acting === "grants"}
                      className={actionClass}
                      onClick={() => (acting === "grants" ? setAction(null) : open({ itemId: item.id, kind: "grants" }))}
                    >
                      Roles and apps…
                      <span className="sr-only"> of {item.name}</span>
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="text-red-700 hover:underline disabled:opacity-60"
                    disabled={remove.isPending}
                    onClick={async () => {
                      setNotice(null);
                      setAction(null);
                      const question = deleteConfirmation(kind, item.name, item.memberCount);
                      const confirmed = await askConfirmation({ ...question, confirmLabel: `Delete ${labels.one}`, destructive: true });
                      if (confirmed) deleteItem(item.id, item.name);
                    }}
                  >
                    Delete
                    <span className="sr-only"> {item.name}</span>
                  </button>
                </span>
              </div>
              {item.description ? <p className="text-slate-600">{item.description}</p> : null}
              {kind === "role" ? (
                item.policies.length === 0 ? (
                  <p className="text-xs italic text-slate-500">No policies</p>
                ) : (
                  <ul aria-label={`Policies of “${item.name}”`} className="flex flex-wrap gap-1.5">
                    {item.policies.map((policy) => (
                      <li key={policy.id}>
                        <PermissionChip permission={policy.permission} title={policy.name} />
                      </li>
                    ))}
                  </ul>
                )
              ) : null}
              {acting === "edit" ? (
                <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
                  <CatalogItemForm kind={kind} item={item} onDone={done} onCancel={() => setAction(null)} />
                </div>
              ) : null}
              {acting === "grants" ? <GroupGrantsPanel group={{ id: item.id, name: item.name }} /> : null}
              {acting === "policies" ? (
                <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
                  <RolePoliciesEditor role={item} onDone={done} onCancel={() => setAction(null)} />
                </div>
              ) : null}
            </li>
          );
        })}
      </ul>
      )}
    </ListState>
  );

  return (
    <div className="space-y-4">
      <section aria-labelledby={headingId} className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id={headingId} className="mb-3 text-sm font-semibold text-slate-900">
          New {labels.one}
        </h2>
        <CatalogItemForm kind={kind} onDone={done} />
      </section>
      <SuccessStatus message={notice} />
      {remove.isError && !isStepUpRequired(remove.error) ? <FormAlert>{remove.error.message}</FormAlert> : null}
      {list}
      {stepUpDialog}
      {confirmDialog}
    </div>
  );
}
