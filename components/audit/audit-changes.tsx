import { compareFields, fieldLabel, formatFieldValue } from "@/components/members/member-labels";

// The before → after of an audit event's changed fields, as a person reads them.

function Value({ field, value }: { field: string; value: unknown }) {
  const text = formatFieldValue(field, value);
  return text === null ? <span className="italic text-slate-600">empty</span> : <span className="break-all font-medium text-slate-900">{text}</span>;
}

export function AuditChanges({ changes, created }: { changes: Record<string, { before: unknown; after: unknown }>; created: boolean }) {
  const entries = Object.entries(changes ?? {}).sort(([a], [b]) => compareFields(a, b));
  if (entries.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 text-sm">
      {entries.map(([field, change]) => (
        <li key={field} data-field={field} className="grid grid-cols-[9rem_1fr] gap-2">
          <span className="text-slate-600">{fieldLabel(field)}</span>
          {/* A creation has no "before": only what the member started with. */}
          {created && change.before === null ? (
            <span>
              <Value field={field} value={change.after} />
            </span>
          ) : (
            <span>
              <Value field={field} value={change.before} /> <span className="text-slate-600">→</span> <Value field={field} value={change.after} />
            </span>
          )}
        </li>
      ))}
    </ul>
  );
}
