"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type DragEvent } from "react";
import { useTRPC } from "@/components/trpc/client";
import type { TConfirmMove } from "@/components/org/department-forms";
import type { TDepartmentNode } from "@/server/org/list-department-tree";

/** Where a department is dropped: another department, or the top level. */
export type TDropTarget = { id: string; name: string } | null;
type TDragged = { id: string; name: string; parentId: string | null; subtree: ReadonlySet<string> };
const TOP = "top";

function subtreeIds(node: TDepartmentNode, ids = new Set<string>()): Set<string> {
  ids.add(node.id);
  for (const child of node.children) subtreeIds(child, ids);
  return ids;
}

const placeOf = (target: TDropTarget) => (target ? `under “${target.name}”` : "to the top level");

/**
 * Native HTML5 drag and drop of departments: a department dragged onto
 * another moves under it, onto the top-level zone moves to the top. The
 * server decides (a move into the department's own subtree is refused with
 * its error); the menu's Move is the keyboard way to the same change.
 */
export function useDepartmentDrag({
  confirmMove,
  onMoved,
  onRefused,
}: {
  confirmMove: TConfirmMove;
  onMoved: (message: string) => void;
  onRefused: (message: string) => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [dragged, setDragged] = useState<TDragged | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const move = useMutation(
    trpc.departments.move.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.departments.tree.queryKey() }),
    }),
  );

  const drop = async (target: TDropTarget) => {
    const source = dragged;
    setDragged(null);
    setOver(null);
    if (!source || source.id === target?.id) return;
    if (source.parentId === (target?.id ?? null)) return onMoved(`“${source.name}” is already ${target ? `under “${target.name}”` : "at the top level"}.`);
    const input = { departmentId: source.id, newParentId: target?.id ?? null };
    try {
      // The preview of whose access changes first; a refusal (a move into its own subtree) comes from it.
      if (!(await confirmMove(input, placeOf(target)))) return;
    } catch (error) {
      return onRefused((error as Error).message);
    }
    move.mutate(input, { onSuccess: () => onMoved(`Moved “${source.name}” ${placeOf(target)}.`), onError: (error) => onRefused(error.message) });
  };

  return {
    dragging: dragged !== null,
    moving: move.isPending,
    /** The node being dragged, or one of its sub-departments: the server will refuse a drop there. */
    insideDragged: (id: string) => dragged?.subtree.has(id) ?? false,
    isOver: (target: TDropTarget) => over === (target?.id ?? TOP),
    sourceProps: (node: TDepartmentNode, parentId: string | null) => ({
      draggable: !move.isPending,
      onDragStart: (event: DragEvent<HTMLElement>) => {
        event.stopPropagation();
        event.dataTransfer.effectAllowed = "move";
        // Some browsers start a drag only with data set; the state below is what the drop reads.
        event.dataTransfer.setData("text/plain", node.name);
        setDragged({ id: node.id, name: node.name, parentId, subtree: subtreeIds(node) });
      },
      onDragEnd: () => {
        setDragged(null);
        setOver(null);
      },
    }),
    targetProps: (target: TDropTarget) => ({
      onDragOver: (event: DragEvent<HTMLElement>) => {
        if (!dragged || dragged.id === target?.id) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        setOver(target?.id ?? TOP);
      },
      onDragLeave: (event: DragEvent<HTMLElement>) => {
        if (event.currentTarget.contains(event.relatedTarget as Node | null)) return;
        setOver((current) => (current === (target?.id ?? TOP) ? null : current));
      },
      onDrop: (event: DragEvent<HTMLElement>) => {
        event.preventDefault();
        void drop(target);
      },
    }),
  };
}
