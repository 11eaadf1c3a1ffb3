"use client";

import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { DANGER_BUTTON } from "@/components/lifecycle/danger-button";
import { ModalDialog } from "@/components/lifecycle/modal-dialog";
import type { TGrantChangeRequest } from "@/components/access/use-grant-change";
import type { TMatrixCell, TMatrixDepartment, TMatrixRole } from "@/server/access/inheritance-matrix";

/** The changes one cell offers: grant (this department, or with everything below), or switch and remove a direct grant. */
export function cellChanges(department: TMatrixDepartment, role: TMatrixRole, cell: TMatrixCell | undefined): (TGrantChangeRequest & { label: string; danger?: boolean })[] {
  const item = { departmentId: department.id, kind: "role" as const, itemId: role.id };
  if (!cell?.direct) {
    return [
      {
        label: `Grant to ${department.name} only`,
        change: { change: "grantToDepartment", ...item, subtree: false },
        title: `Grant the role “${role.name}” to ${department.name}?`,
        confirmLabel: `Grant to ${department.name}`,
        done: `Granted the role “${role.name}” to ${department.name}.`,
      },
      {
        label: `Grant to ${department.name} and everything below`,
        change: { change: "grantToDepartment", ...item, subtree: true },
        title: `Grant the role “${role.name}” to ${department.name} and everything below?`,
        confirmLabel: `Grant to ${department.name} and below`,
        done: `Granted the role “${role.name}” to ${department.name} and everything below.`,
      },
    ];
  }
  const widen = !cell.direct.subtree;
  return [
    {
      label: widen ? "Extend to everything below" : `Limit to ${department.name} only`,
      change: { change: "setDepartmentGrantScope", ...item, subtree: widen },
      title: widen ? `Extend “${role.name}” to everything below ${department.name}?` : `Limit “${role.name}” to ${department.name} only?`,
      confirmLabel: widen ? "Extend the grant" : "Limit the grant",
      done: widen ? `The role “${role.name}” now reaches everything below ${department.name}.` : `The role “${role.name}” now applies to ${department.name} only.`,
    },
    {
      label: "Remove the grant",
      danger: true,
      change: { change: "revokeFromDepartment", departmentId: department.id, kind: "role", itemId: role.id },
      title: `Take the role “${role.name}” from ${department.name}?`,
      confirmLabel: "Remove the grant",
      done: `Took the role “${role.name}” from ${department.name}.`,
    },
  ];
}

/** What to do with one cell: each choice opens the preview next. */
export function MatrixCellDialog({
  department,
  role,
  cell,
  state,
  onChoose,
  onClose,
}: {
  department: TMatrixDepartment;
  role: TMatrixRole;
  cell: TMatrixCell | undefined;
  state: string;
  onChoose: (request: TGrantChangeRequest) => void;
  onClose: () => void;
}) {
  const choices = cellChanges(department, role, cell);
  return (
    <ModalDialog title={`“${role.name}” in ${department.path.join(" / ")}`} onClose={onClose}>
      <p className="mb-4 text-sm text-slate-700">{state ? `Now: ${state}.` : "Not granted here, nor inherited."} The next step shows who gains and who loses what before anything changes.</p>
      <div className="flex flex-wrap gap-2">
        {choices.map((choice, index) => (
          <button key={choice.label} type="button" data-autofocus={index === 0 ? true : undefined} className={choice.danger ? DANGER_BUTTON : PRIMARY_BUTTON} onClick={() => onChoose(choice)}>
            {choice.label}
          </button>
        ))}
        <button type="button" className={SECONDARY_BUTTON} onClick={onClose}>
          Cancel
        </button>
      </div>
    </ModalDialog>
  );
}
