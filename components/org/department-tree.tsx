"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { DepartmentHeads } from "@/components/org/department-heads";
import { DepartmentGrantsPanel } from "@/components/access/department-grants-panel";
import { useAccessChangeConfirm } from "@/components/access/use-access-change-confirm";
import { DepartmentNameForm, MoveDepartmentForm, type TConfirmMove } from "@/components/org/department-forms";
import { useDepartmentDrag } from "@/components/org/use-department-drag";
import { EmptyList, QueryStatus } from "@/components/list/list-state";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";
import type { TDepartmentNode } from "@/server/org/list-department-tree";

type TAction = { departmentId: string; kind: "add" | "rename" | "move" | "access" } | null;

/** Every department a node may move under: not itself, not its subtree, not Departed. */
function moveTargets(roots: TDepartmentNode[], moving: string): { id: string; label: string }[] {
  const targets: { id: string; label: string }[] = [];
  const walk = (nodes: TDepartmentNode[], path: string[]) => {
    for (const node of nodes) {
      if (node.id === moving || node.kind === "departed") continue;
      const label = [...path, node.name].join(" / ");
      targets.push({ id: node.id, label });
      walk(node.children, [...path, node.name]);
    }
  };
  walk(roots, []);
  return targets;
}

function findName(nodes: readonly TDepartmentNode[], id: string): string | undefined {
  for (const node of nodes) {
    if (node.id === id) return node.name;
    const found = findName(node.children, id);
    if (found) return found;
  }
  return undefined;
}

function plural(count: number, word: string) {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

export function DepartmentTree() {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  // Counts change without this page knowing (a resignation or lock the worker carries out when its
  // date comes, another admin): opening the page always asks again, so they match the member list.
  const tree = useQuery({ ...trpc.departments.tree.queryOptions(), refetchOnMount: "always" });
  const [action, setAction] = useState<TAction>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const remove = useMutation(
    trpc.departments.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.departments.tree.queryKey() });
        setNotice("Deleted.");
      },
    }),
  );
  const done = (message: string) => {
    setAction(null);
    setRefusal(null);
    setNotice(message);
  };
  // A move changes the inherited access of everyone in the subtree: the admin sees whose before it happens.
  const { confirmAccessChange, confirmDialog: moveDialog } = useAccessChangeConfirm();
  const confirmMove: TConfirmMove = (move, place) => {
    const name = findName(tree.data ?? [], move.departmentId) ?? "the department";
    return confirmAccessChange({ title: `Move “${name}” ${place}?`, confirmLabel: "Move", preview: () => client.departments.previewMove.mutate(move) });
  };
  const drag = useDepartmentDrag({
    confirmMove,
    onMoved: done,
    onRefused: (message) => {
      setNotice(null);
      setRefusal(message);
    },
  });

  if (tree.isPending || tree.isError) return <QueryStatus query={tree} loading="Loading departments…" failure="The departments could not be loaded" />;
  const roots = tree.data;
  const regular = roots.filter((node) => node.kind === "regular");

  /** The look of a row while a department is dragged: where it may land, where it is over, where the server will refuse. */
  const rowClass = (node: TDepartmentNode) => {
    const base = "flex flex-wrap items-center gap-x-3 gap-y-1 rounded-md px-2 py-1";
    if (!drag.dragging) return base;
    if (node.kind === "departed") return `${base} opacity-50`;
    if (drag.insideDragged(node.id)) return `${base} ${drag.isOver(node) ? "bg-red-50 ring-2 ring-red-400" : "opacity-60"}`;
    return `${base} ${drag.isOver(node) ? "bg-brand-50 ring-2 ring-brand-600" : "outline-1 outline-dashed outline-slate-300"}`;
  };

  const renderNodes = (nodes: TDepartmentNode[], parentId: string | null) => (
    <ul className="space-y-1 border-l border-slate-200 pl-4">
      {nodes.map((node) => {
        const acting = action?.departmentId === node.id ? action.kind : null;
        const system = node.kind === "departed";
        return (
          <li key={node.id} aria-label={node.name}>
            <div
              data-department-row={node.id}
              className={rowClass(node)}
              {...(system ? {} : { ...drag.sourceProps(node, parentId), ...drag.targetProps(node) })}
              title={system ? undefined : "Drag onto another department to move it there"}
            >
              <span className={`font-medium ${system ? "" : "cursor-grab"}`}>{node.name}</span>
              {system ? <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs text-slate-700">system</span> : null}
              <Link href={`/console/members?department=${node.id}`} className="text-xs text-slate-500 hover:text-brand-700 hover:underline">
                {plural(node.memberCount, "member")}
                {node.children.length > 0 ? ` · ${node.subtreeMemberCount} with sub-departments` : ""}
              </Link>
              <DepartmentHeads heads={node.heads} />
              {system ? null : (
                <span className="flex gap-2 text-xs">
                  <button type="button" className="text-brand-700 hover:underline" onClick={() => setAction({ departmentId: node.id, kind: "add" })}>
                    Add sub-department
                    <RowContext>to {node.name}</RowContext>
                  </button>
                  <button type="button" className="text-brand-700 hover:underline" onClick={() => setAction({ departmentId: node.id, kind: "rename" })}>
                    Rename
                    <RowContext>{node.name}</RowContext>
                  </button>
                  <button type="button" className="text-brand-700 hover:underline" onClick={() => setAction({ departmentId: node.id, kind: "move" })}>
                    Move
                    <RowContext>{node.name}</RowContext>
                  </button>
                  <button
                    type="button"
                    aria-expanded={acting === "access"}
                    className="text-brand-700 hover:underline"
                    onClick={() => setAction(acting === "access" ? null : { departmentId: node.id, kind: "access" })}
                  >
                    Roles and apps
                    <RowContext>of {node.name}</RowContext>
                  </button>
                  <button
                    type="button"
                    className="text-red-700 hover:underline disabled:opacity-60"
                    disabled={remove.isPending}
                    onClick={async () => {
                      setNotice(null);
                      const confirmed = await askConfirmation({
                        title: `Delete “${node.name}”?`,
                        message: "Only an empty department can be deleted: one with members or sub-departments stays as it is.",
                        confirmLabel: "Delete department",
                        destructive: true,
                      });
                      if (confirmed) remove.mutate({ departmentId: node.id });
                    }}
                  >
                    Delete
                    <RowContext>{node.name}</RowContext>
                  </button>
                </span>
              )}
              {drag.isOver(node) ? (
                <span className="text-xs font-medium text-brand-700">{drag.insideDragged(node.id) ? "Not into itself" : "Drop to move here"}</span>
              ) : null}
            </div>
            {acting === "add" ? <DepartmentNameForm mode="create" parentId={node.id} onDone={done} onCancel={() => setAction(null)} /> : null}
            {acting === "rename" ? (
              <DepartmentNameForm mode="rename" departmentId={node.id} initialName={node.name} onDone={done} onCancel={() => setAction(null)} />
            ) : null}
            {acting === "move" ? (
              <MoveDepartmentForm departmentId={node.id} targets={moveTargets(roots, node.id)} confirmMove={confirmMove} onDone={done} onCancel={() => setAction(null)} />
            ) : null}
            {acting === "access" ? <DepartmentGrantsPanel department={{ id: node.id, name: node.name }} /> : null}
            {node.children.length > 0 ? renderNodes(node.children, node.id) : null}
          </li>
        );
      })}
    </ul>
  );

  return (
    <div className="space-y-4">
      <div className="rounded-lg border border-slate-200 bg-white p-4">
        <DepartmentNameForm mode="create" parentId={null} onDone={done} />
      </div>
      <SuccessStatus message={notice} />
      {refusal ? <FormAlert>{refusal}</FormAlert> : null}
      {remove.isError ? <FormAlert>{remove.error.message}</FormAlert> : null}
      {regular.length === 0 ? (
        <EmptyList>No departments yet. Create the first one above.</EmptyList>
      ) : null}
      <div className="space-y-3 rounded-lg border border-slate-200 bg-white p-4 text-sm">
        {regular.length > 1 ? (
          <p className="text-xs text-slate-500">Drag a department onto another to move it there with its sub-departments, or use its Move button.</p>
        ) : null}
        {renderNodes(roots, null)}
        {regular.length > 0 ? (
          <div
            {...drag.targetProps(null)}
            aria-label="Top level"
            className={`rounded-md border-2 border-dashed px-3 py-2 text-center text-xs ${
              drag.isOver(null) ? "border-brand-600 bg-brand-50 text-brand-700" : "border-slate-200 text-slate-500"
            }`}
          >
            {drag.moving ? "Moving…" : "Drop a department here to move it to the top level"}
          </div>
        ) : null}
      </div>
      {confirmDialog}
      {moveDialog}
    </div>
  );
}

/** Every row has the same buttons: this (unseen) end of a button's name says which department it acts on. */
function RowContext({ children }: { children: ReactNode }) {
  return <span className="sr-only"> {children}</span>;
}
