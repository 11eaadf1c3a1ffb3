"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { SuccessStatus } from "@/components/form/success-status";
import { DateTime } from "@/components/date-time";
import { HolderGrantForm } from "@/components/access/holder-grant-form";
import { useGrantChange, type TGrantChangeRequest } from "@/components/access/use-grant-change";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

/** One group's roles and applications (every member of the group holds them), with remove and a form to grant more. */
export function GroupGrantsPanel({ group }: { group: { id: string; name: string } }) {
  const trpc = useTRPC();
  const headingId = useId();
  const grants = useQuery(trpc.accessGrants.ofGroup.queryOptions({ groupId: group.id }));
  const [notice, setNotice] = useState<string | null>(null);
  const { openChange, grantChangeDialog } = useGrantChange({ onDone: setNotice });
  const open = (request: TGrantChangeRequest) => {
    setNotice(null);
    openChange(request);
  };
  const grantedKeys = new Set((grants.data ?? []).map((grant) => `${grant.kind}:${grant.itemId}`));
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-md border border-slate-200 bg-slate-50 p-3">
      <h3 id={headingId} className="text-sm font-semibold text-slate-900">
        Roles and applications of the group {group.name}
      </h3>
      <SuccessStatus message={notice} />
      <ListState query={grants} loading="Loading grants…" failure="The grants could not be loaded" empty="Nothing granted to this group yet." inline>
        {(items) => (
          <ul aria-label={`Granted to ${group.name}`} className="divide-y divide-slate-200 rounded border border-slate-200 bg-white">
            {items.map((grant) => (
              <li key={`${grant.kind}:${grant.itemId}`} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
                <span className="font-medium">{grant.name}</span>
                <span className="text-xs text-slate-500">{grant.kind}</span>
                <DateTime value={grant.grantedAt} className="text-xs text-slate-500" />
                <button
                  type="button"
                  className="ml-auto text-xs text-red-700 hover:underline"
                  onClick={() =>
                    open({
                      change: { change: "revokeFromGroup", groupId: group.id, kind: grant.kind, itemId: grant.itemId },
                      title: `Take the ${grant.kind} “${grant.name}” from the group ${group.name}?`,
                      confirmLabel: "Remove the grant",
                      done: `Took the ${grant.kind} “${grant.name}” from the group ${group.name}.`,
                    })
                  }
                >
                  Remove
                  <span className="sr-only"> {grant.name}</span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </ListState>
      <HolderGrantForm holder={{ type: "group", ...group }} grantedKeys={grantedKeys} onPreview={open} />
      {grantChangeDialog}
    </section>
  );
}
