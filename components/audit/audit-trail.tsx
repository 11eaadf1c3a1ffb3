"use client";

import Link from "next/link";
import { useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { AuditChanges } from "@/components/audit/audit-changes";
import { AuditEventByline } from "@/components/audit/audit-event-byline";
import { ListState } from "@/components/list/list-state";
import { actionLabel } from "@/components/audit/audit-labels";
import { useTRPC } from "@/components/trpc/client";
import { AUDIT_TARGET_TYPES } from "@/server/audit/audit-schemas";

const PAGE_SIZE = 50;

const TARGET_LABELS: Record<(typeof AUDIT_TARGET_TYPES)[number], string> = {
  member: "Members",
  department: "Departments",
  role: "Roles",
  group: "Groups",
  application: "Applications",
  policy: "Policies",
  role_template: "Role templates",
  member_import: "Imports",
  tenant: "Organisation settings",
  alert_rule: "Alert rules",
  directory: "Directories",
  webhook_endpoint: "Webhook endpoints",
};

function Target({ event }: { event: { targetType: string; targetId: string; targetName: string | null } }) {
  const name = event.targetName ?? `#${event.targetId}`;
  if (event.targetType === "member" && event.targetName) {
    return (
      <Link href={`/console/members/${event.targetId}`} className="font-medium text-brand-700 hover:underline">
        {name}
      </Link>
    );
  }
  return <span className="font-medium text-slate-800">{name}</span>;
}

/** The organisation's audit trail, newest first, filterable by kind of record, action and risk. */
export function AuditTrail() {
  const trpc = useTRPC();
  const [targetType, setTargetType] = useState<(typeof AUDIT_TARGET_TYPES)[number] | "">("");
  const [action, setAction] = useState("");
  const [highRiskOnly, setHighRiskOnly] = useState(false);
  const actionFilter = /^[a-z_.]*$/.test(action) ? action : "";
  const events = useInfiniteQuery(
    trpc.audit.list.infiniteQueryOptions(
      { limit: PAGE_SIZE, targetType: targetType || null, action: actionFilter || null, highRiskOnly },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );

  return (
    <div className="space-y-4">
      <form className="flex flex-wrap items-end gap-4" onSubmit={(event) => event.preventDefault()} aria-label="Filter the audit trail">
        <label className="text-sm">
          <span className="block font-medium text-slate-700">Records</span>
          <select value={targetType} onChange={(event) => setTargetType(event.target.value as typeof targetType)} className="mt-1 rounded-md border border-slate-300 px-3 py-2">
            <option value="">All</option>
            {AUDIT_TARGET_TYPES.map((type) => (
              <option key={type} value={type}>
                {TARGET_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm">
          <span className="block font-medium text-slate-700">Action starts with</span>
          <input
            value={action}
            onChange={(event) => setAction(event.target.value.toLowerCase())}
            placeholder="e.g. member.lock"
            className="mt-1 rounded-md border border-slate-300 px-3 py-2"
            aria-invalid={action !== actionFilter}
          />
          {action !== actionFilter ? <span className="block text-xs text-red-600">Letters, dots and underscores only</span> : null}
        </label>
        <label className="flex items-center gap-2 pb-2 text-sm font-medium text-slate-700">
          <input type="checkbox" checked={highRiskOnly} onChange={(event) => setHighRiskOnly(event.target.checked)} />
          High-risk only
        </label>
      </form>

      <ListState
        query={events}
        loading="Loading the audit trail…"
        failure="The audit trail could not be loaded"
        empty="No events match these filters."
        moreFailure="More events could not be loaded"
      >
        {(items) => (
        <ol aria-label="Audit events" className="space-y-3">
          {items.map((event) => (
            <li key={event.id} className={`rounded-lg border bg-white p-4 ${event.highRisk ? "border-amber-300" : "border-slate-200"}`} data-testid="audit-event">
              <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                {event.highRisk ? <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-semibold text-amber-900">High risk</span> : null}
                <span className="font-semibold text-slate-900">{actionLabel(event.action)}</span>
                <Target event={event} />
                <AuditEventByline event={event} showCode />
              </div>
              <AuditChanges changes={event.changes} />
            </li>
          ))}
        </ol>
        )}
      </ListState>
    </div>
  );
}
