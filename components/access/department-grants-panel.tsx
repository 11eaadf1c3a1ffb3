"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { SuccessStatus } from "@/components/form/success-status";
import { DateTime } from "@/components/date-time";
import { HolderGrantForm } from "@/components/access/holder-grant-form";
import { useGrantChange, type TGrantChangeRequest } from "@/components/access/use-grant-change";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TDepartmentGrant } from "@/server/access/holder-grants";

const actionClass = "text-brand-700 hover:underline";

function scopeChange(department: { id: string; name: string }, grant: TDepartmentGrant): TGrantChangeRequest {
  const widen = !grant.direct?.subtree;
  const what = `the ${grant.kind} “${grant.name}”`;
  return {
    change: { change: "setDepartmentGrantScope", departmentId: department.id, kind: grant.kind, itemId: grant.itemId, subtree: widen },
    title: widen ? `Extend ${what} to everything below ${department.name}?` : `Limit ${what} to ${department.name} only?`,
    confirmLabel: widen ? "Extend the grant" : "Limit the grant",
    done: widen ? `${what[0]!.toUpperCase()}${what.slice(1)} now reaches everything below ${department.name}.` : `${what[0]!.toUpperCase()}${what.slice(1)} now applies to ${department.name} only.`,
  };
}

function revokeChange(department: { id: string; name: string }, grant: TDepartmentGrant): TGrantChangeRequest {
  return {
    change: { change: "revokeFromDepartment", departmentId: department.id, kind: grant.kind, itemId: grant.itemId },
    title: `Take the ${grant.kind} “${grant.name}” from ${department.name}?`,
    confirmLabel: "Remove the grant",
    done: `Took the ${grant.kind} “${grant.name}” from ${department.name}.`,
  };
}

/** One department's roles and applications: its own grants (change or remove) and those it inherits, then a form to grant more. */
export function DepartmentGrantsPanel({ department }: { department: { id: string; name: string } }) {
  const trpc = useTRPC();
  const headingId = useId();
  const grants = useQuery(trpc.accessGrants.ofDepartment.queryOptions({ departmentId: department.id }));
  const [notice, setNotice] = useState<string | null>(null);
  const { openChange, grantChangeDialog } = useGrantChange({ onDone: setNotice });
  const open = (request: TGrantChangeRequest) => {
    setNotice(null);
    openChange(request);
  };
  const directKeys = new Set((grants.data ?? []).filter((grant) => grant.direct).map((grant) => `${grant.kind}:${grant.itemId}`));
  return (
    <section aria-labelledby={headingId} className="mt-2 space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <h3 id={headingId} className="text-sm font-semibold text-slate-900">
        Roles and applications of {department.name}
      </h3>
      <SuccessStatus message={notice} />
      <ListState query={grants} loading="Loading grants…" failure="The grants could not be loaded" empty="Nothing granted here or above." inline>
        {(items) => (
          <ul aria-label={`Granted to ${department.name}`} className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
            {items.map((grant) => (
              <li key={`${grant.kind}:${grant.itemId}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
                <span className="font-medium">{grant.name}</span>
                <span className="text-xs text-slate-500">{grant.kind}</span>
                {grant.direct ? (
                  <span className="rounded bg-brand-50 px-1.5 text-xs font-medium text-brand-800">
                    {grant.direct.subtree ? "Here and below" : "Granted here"} · <DateTime value={grant.direct.grantedAt} />
                  </span>
                ) : null}
                {grant.inheritedFrom.length > 0 ? (
                  <span className="rounded bg-slate-100 px-1.5 text-xs text-slate-700">From {grant.inheritedFrom.map((ancestor) => ancestor.name).join(", ")}</span>
                ) : null}
                {grant.direct ? (
                  <span className="ml-auto flex gap-3 text-xs">
                    <button type="button" className={actionClass} onClick={() => open(scopeChange(department, grant))}>
                      {grant.direct.subtree ? "Limit to this department" : "Extend to everything below"}
                      <span className="sr-only">: {grant.name}</span>
                    </button>
                    <button type="button" className="text-red-700 hover:underline" onClick={() => open(revokeChange(department, grant))}>
                      Remove
                      <span className="sr-only"> {grant.name}</span>
                    </button>
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </ListState>
      <HolderGrantForm holder={{ type: "department", ...department }} grantedKeys={directKeys} onPreview={open} />
      {grantChangeDialog}
    </section>
  );
}
