"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useHydrated } from "@/components/form/use-hydrated";
import { useAccessChangeConfirm } from "@/components/access/use-access-change-confirm";
import { JoinDepartmentForm } from "@/components/org/join-department-form";
import { LeaveMainDepartmentForm } from "@/components/org/leave-main-department-form";
import { TransferDepartmentForm } from "@/components/org/transfer-department-form";
import { useMembershipRefresh } from "@/components/org/use-membership-refresh";
import { EmptyList } from "@/components/list/list-state";
import { useTRPC, useTRPCClient } from "@/components/trpc/client";

export type TMembership = { id: string; name: string; isHead: boolean };
type TPanel = { kind: "join" } | { kind: "leave-main"; departmentId: string } | { kind: "transfer"; departmentId: string } | null;

const ACTION = "text-xs font-medium text-brand-700 hover:underline disabled:opacity-60 disabled:no-underline";

function Marker({ children, tone }: { children: string; tone: "brand" | "amber" }) {
  const colours = tone === "brand" ? "bg-brand-50 text-brand-700" : "bg-amber-100 text-amber-800";
  return <span className={`rounded px-2 py-0.5 text-xs font-medium ${colours}`}>{children}</span>;
}

/**
 * The member page's Organisation tab: the member's departments, the main one
 * and those they head marked, with adding, leaving, making main and marking
 * heads. Each change refreshes the page, which is rendered on the server.
 */
export function MemberDepartments({
  memberId,
  memberName,
  mainDepartmentId,
  departments,
}: {
  memberId: string;
  memberName: string;
  mainDepartmentId: string | null;
  departments: readonly TMembership[];
}) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const hydrated = useHydrated();
  const { refresh, refreshing } = useMembershipRefresh();
  // For the Departed department's id (it has no heads); the join form reads the same query.
  const tree = useQuery(trpc.departments.tree.queryOptions());
  const departedId = tree.data?.find((node) => node.kind === "departed")?.id;
  const [panel, setPanel] = useState<TPanel>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Leaving shows whose access changes (the leave's own code, rolled back on the server) in its confirmation.
  const { confirmAccessChange, confirmDialog } = useAccessChangeConfirm();

  const done = (message: string) => {
    setPanel(null);
    setFailure(null);
    setNotice(message);
    void refresh();
  };
  // A refusal may come from a change made elsewhere meanwhile: show it, and the current state.
  const failed = (error: { message: string }) => {
    setNotice(null);
    setFailure(error.message);
    void refresh();
  };
  const setMain = useMutation(trpc.departments.setMain.mutationOptions({ onError: failed }));
  const setHead = useMutation(trpc.departments.setHead.mutationOptions({ onError: failed }));
  const leave = useMutation(trpc.departments.leave.mutationOptions({ onError: failed }));
  const busy = !hydrated || refreshing || setMain.isPending || setHead.isPending || leave.isPending;

  const start = (next: TPanel) => {
    setNotice(null);
    setFailure(null);
    setPanel(next);
  };
  const startLeave = async (department: TMembership) => {
    const isMain = department.id === mainDepartmentId;
    if (isMain && departments.length > 1) return start({ kind: "leave-main", departmentId: department.id });
    start(null);
    let confirmed: boolean;
    try {
      confirmed = await confirmAccessChange({
        title: `Take ${memberName} out of “${department.name}”?`,
        message: departments.length === 1 ? "It is their only department: they will have no main department." : undefined,
        confirmLabel: "Take out",
        destructive: true,
        askWhenUnchanged: true,
        preview: () => client.departments.previewLeave.mutate({ memberId, departmentId: department.id }),
      });
    } catch (error) {
      return failed(error as Error);
    }
    if (!confirmed) return;
    leave.mutate({ memberId, departmentId: department.id }, { onSuccess: () => done(`Left “${department.name}”.`) });
  };

  const sorted = [...departments].sort(
    (a, b) => Number(b.id === mainDepartmentId) - Number(a.id === mainDepartmentId) || a.name.localeCompare(b.name, "en"),
  );

  return (
    <div className="space-y-4">
      <SuccessStatus message={notice} />
      {failure ? <FormAlert>{failure}</FormAlert> : null}
      <section aria-label="Departments" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <div className="flex items-center justify-between gap-2">
          <div className="flex items-baseline gap-2">
            <h2 className="text-sm font-semibold text-slate-900">Departments</h2>
            <span className="text-xs text-slate-500">{departments.length}</span>
          </div>
          {panel?.kind === "join" ? null : (
            <button type="button" disabled={busy} className="text-sm font-medium text-brand-700 hover:underline disabled:opacity-60" onClick={() => start({ kind: "join" })}>
              Add to a department…
            </button>
          )}
        </div>
        {panel?.kind === "join" ? (
          <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
            <JoinDepartmentForm
              memberId={memberId}
              heldIds={departments.map((department) => department.id)}
              hasMain={mainDepartmentId !== null}
              onDone={done}
              onCancel={() => setPanel(null)}
            />
          </div>
        ) : null}
        {departments.length === 0 ? (
          <EmptyList inline>Not in any department yet.</EmptyList>
        ) : (
          <ul aria-label="Member's departments" className="divide-y divide-slate-100 text-sm">
            {sorted.map((department) => {
              const isMain = department.id === mainDepartmentId;
              const canHead = department.id !== departedId || department.isHead;
              return (
                <li key={department.id} aria-label={department.name} className="space-y-2 py-2">
                  <div className="flex flex-wrap items-center gap-3">
                    <span className="font-medium text-slate-900">{department.name}</span>
                    {isMain ? <Marker tone="brand">Main department</Marker> : null}
                    {department.isHead ? <Marker tone="amber">Head</Marker> : null}
                    <span className="ml-auto flex flex-wrap gap-3">
                      {isMain ? null : (
                        <button
                          type="button"
                          disabled={busy}
                          className={ACTION}
                          onClick={() => {
                            start(null);
                            setMain.mutate({ memberId, departmentId: department.id }, { onSuccess: () => done(`“${department.name}” is now the main department.`) });
                          }}
                        >
                          Make main
                          <span className="sr-only"> department: {department.name}</span>
                        </button>
                      )}
                      {canHead ? (
                        <button
                          type="button"
                          disabled={busy}
                          className={ACTION}
                          onClick={() => {
                            start(null);
                            const head = !department.isHead;
                            setHead.mutate(
                              { memberId, departmentId: department.id, head },
                              { onSuccess: () => done(head ? `Marked as head of “${department.name}”.` : `No longer head of “${department.name}”.`) },
                            );
                          }}
                        >
                          {department.isHead ? "Unmark head" : "Mark as head"}
                          <span className="sr-only"> of {department.name}</span>
                        </button>
                      ) : null}
                      {department.id === departedId ? null : (
                        <button type="button" disabled={busy} className={ACTION} onClick={() => start({ kind: "transfer", departmentId: department.id })}>
                          Transfer…
                          <span className="sr-only"> from {department.name}</span>
                        </button>
                      )}
                      <button type="button" disabled={busy} className={`${ACTION} text-red-700`} onClick={() => void startLeave(department)}>
                        Leave
                        <span className="sr-only"> {department.name}</span>
                      </button>
                    </span>
                  </div>
                  {panel?.kind === "leave-main" && panel.departmentId === department.id ? (
                    <LeaveMainDepartmentForm
                      memberId={memberId}
                      department={department}
                      remaining={sorted.filter((other) => other.id !== department.id)}
                      onDone={done}
                      onCancel={() => setPanel(null)}
                    />
                  ) : null}
                  {panel?.kind === "transfer" && panel.departmentId === department.id ? (
                    <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
                      <TransferDepartmentForm memberId={memberId} memberName={memberName} from={department} onDone={done} onCancel={() => setPanel(null)} />
                    </div>
                  ) : null}
                </li>
              );
            })}
          </ul>
        )}
      </section>
      {confirmDialog}
    </div>
  );
}
