import { auditLines, type TSegment } from "@/components/audit/audit-lines";
import { DateTime } from "@/components/date-time";
import { compareFields } from "@/components/members/member-labels";

// An audit event's changes as sentences a person reads (components/audit/audit-lines.ts).

function Segment({ segment }: { segment: TSegment }) {
  if (typeof segment === "string") return segment;
  return <DateTime value={segment.at} className="font-medium text-slate-900" />;
}

export function AuditChanges({ changes }: { changes: Record<string, { before: unknown; after: unknown }> }) {
  const lines = auditLines(changes, compareFields);
  if (lines.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1 text-sm text-slate-700">
      {lines.map((line) => (
        <li key={line.field} data-field={line.field} className="break-words">
          {line.segments.map((segment, index) => (
            <Segment key={index} segment={segment} />
          ))}
        </li>
      ))}
    </ul>
  );
}
