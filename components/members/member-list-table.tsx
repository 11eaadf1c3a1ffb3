"use client";

import Link from "next/link";
import { useTimeZone } from "@/components/date-time";
import { formatDateTime, roleLabel } from "@/components/members/member-labels";
import { StateBadge } from "@/components/lifecycle/state-badge";
import { PasswordPendingNote } from "@/components/lifecycle/password-pending";
import type { TMemberListRow } from "@/components/members/use-member-list-query";

/**
 * A moment in the console's one format (components/date-time.tsx): the date,
 * then the time on a line of its own (a narrow column, so every column fits a
 * 1366 px screen); `dayOnly` shows the date, with the time on hover.
 */
function DateCell({ value, none, dayOnly = false }: { value: Date | null; none: string; dayOnly?: boolean }) {
  const timeZone = useTimeZone();
  if (!value) return <span className="text-slate-600">{none}</span>;
  const full = formatDateTime(value, timeZone);
  return (
    <time dateTime={new Date(value).toISOString()} title={full}>
      {full.slice(0, 10)}
      {/* The space keeps "date time" one phrase for screen readers; the block puts the time under the date. */}
      {dayOnly ? null : <> <span className="block text-xs text-slate-600">{full.slice(11)}</span></>}
    </time>
  );
}

// Headers and names may wrap, and cells are padded less than elsewhere: every
// column fits beside the sidebar on a 1366 px screen (narrower ones scroll the table's own box).
const headerCell = "px-2.5 py-2";
const cell = "px-2.5 py-2";
// On a screen narrower than the table (a phone), the selection and the name stay
// in place while the other columns scroll sideways under them, so a row keeps its person.
const stickySelect = "sticky left-0 w-10";
const stickyName = "sticky left-10 min-w-32";

/**
 * The loaded members, each selectable for a bulk action, each name a link to
 * the member's page. "Select all" selects every loaded row (not members on
 * pages not loaded yet).
 */
export function MemberListTable({
  rows,
  selected,
  selectionDisabled,
  busy,
  onToggle,
  onToggleAll,
}: {
  rows: readonly TMemberListRow[];
  selected: ReadonlySet<string>;
  /** Rows shown while other filters load cannot be selected. */
  selectionDisabled: boolean;
  /** The rows are about to be replaced (other filters are loading). */
  busy: boolean;
  onToggle: (memberId: string, checked: boolean) => void;
  onToggleAll: (checked: boolean) => void;
}) {
  const selectedCount = rows.filter((row) => selected.has(row.id)).length;
  const allSelected = rows.length > 0 && selectedCount === rows.length;
  return (
    <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
      <table aria-label="Members" aria-busy={busy || undefined} className={`min-w-full divide-y divide-slate-200 text-sm ${busy ? "opacity-60" : ""}`}>
        <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
          <tr>
            <th scope="col" className={`${headerCell} ${stickySelect} bg-slate-50`}>
              <input
                type="checkbox"
                aria-label="Select all loaded members"
                checked={allSelected}
                disabled={selectionDisabled || rows.length === 0}
                ref={(element) => {
                  if (element) element.indeterminate = selectedCount > 0 && !allSelected;
                }}
                onChange={(event) => onToggleAll(event.target.checked)}
                className="size-4 rounded border-slate-300"
              />
            </th>
            <th scope="col" className={`${headerCell} ${stickyName} bg-slate-50`}>
              Name
            </th>
            <th scope="col" className={headerCell}>Username</th>
            <th scope="col" className={headerCell}>Email</th>
            <th scope="col" className={headerCell}>Main department</th>
            <th scope="col" className={headerCell}>Role</th>
            <th scope="col" className={headerCell}>Status</th>
            <th scope="col" className={headerCell}>Last online</th>
            <th scope="col" className={headerCell}>Created</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {rows.map((member) => {
            const checked = selected.has(member.id);
            const rowBackground = checked ? "bg-brand-50" : "bg-white";
            return (
              <tr key={member.id} data-member-id={member.id} data-selected={checked || undefined} className={checked ? "bg-brand-50" : undefined}>
                <td className={`${cell} ${stickySelect} ${rowBackground}`}>
                  <input
                    type="checkbox"
                    aria-label={`Select ${member.fullName}`}
                    checked={checked}
                    disabled={selectionDisabled}
                    onChange={(event) => onToggle(member.id, event.target.checked)}
                    className="size-4 rounded border-slate-300"
                  />
                </td>
                <th scope="row" className={`${cell} ${stickyName} ${rowBackground} text-left font-medium`}>
                  <Link href={`/console/members/${member.id}`} className="text-brand-700 hover:underline">
                    {member.fullName}
                  </Link>
                </th>
                <td className={`${cell} whitespace-nowrap`}>{member.username}</td>
                <td className={cell}>
                  {/* Long addresses are cut short (whole on hover, and for screen readers) so the columns after stay in view. */}
                  <span className="block max-w-44 truncate" title={member.email}>
                    {member.email}
                  </span>
                </td>
                <td className={cell}>{member.mainDepartment ?? <span className="text-slate-600">None</span>}</td>
                <td className={`${cell} whitespace-nowrap`}>{roleLabel(member.role)}</td>
                <td className={cell}>
                  <StateBadge state={member.status} />
                  {member.status === "active" || member.status === "pending" ? <PasswordPendingNote member={member} /> : null}
                </td>
                <td className={`${cell} whitespace-nowrap`}>
                  <DateCell value={member.onlineAt} none="never" />
                </td>
                <td className={`${cell} whitespace-nowrap`}>
                  <DateCell value={member.createdAt} none="unknown" dayOnly />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
