"use client";

import { useQuery } from "@tanstack/react-query";
import { countMembers } from "@/components/members/member-list-labels";
import { chunk, mergePreviews, PREVIEW_CHUNK_SIZE } from "@/components/lifecycle/preview-chunks";
import { countSessions, RELATION_LABELS } from "@/components/lifecycle/lifecycle-labels";
import { RefusedMembers } from "@/components/lifecycle/refused-members";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPCClient } from "@/components/trpc/client";
import { REMOVED_RELATIONS, type TOffboardingAction } from "@/server/lifecycle/offboarding-plan";
import type { TOffboardingPreview } from "@/server/lifecycle/preview-offboarding";
import { ScrollRegion } from "@/components/list/scroll-region";

/** What `action` would take away from these members, asked of the server fresh each time the dialog opens. */
export function useOffboardingPreview(action: TOffboardingAction, memberIds: readonly string[]) {
  const client = useTRPCClient();
  return useQuery({
    queryKey: ["lifecycle-preview", action, memberIds],
    queryFn: async () => {
      const previews: TOffboardingPreview[] = [];
      // One chunk after the other: each locks its members' rows while it reads.
      for (const ids of chunk(memberIds, PREVIEW_CHUNK_SIZE)) previews.push(await client.lifecycle.preview.query({ action, memberIds: ids }));
      return mergePreviews(previews);
    },
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });
}

function NameList({ names }: { names: readonly string[] }) {
  if (names.length === 0) return <span className="italic text-slate-500">none</span>;
  return <span className="font-medium text-slate-900">{names.join(", ")}</span>;
}

/** One member: each kind the action removes, by name, and the sessions it ends. */
function MemberPreview({ action, member }: { action: TOffboardingAction; member: TOffboardingPreview["members"][number] }) {
  const kinds = REMOVED_RELATIONS[action] ?? [];
  return (
    <dl className="grid grid-cols-[9rem_1fr] gap-x-3 gap-y-1 text-sm">
      {kinds.map((kind) => (
        <div key={kind} className="contents" data-testid={`preview-${kind}`}>
          <dt className="text-slate-600">{RELATION_LABELS[kind]}</dt>
          <dd>
            <NameList names={member.removes[kind]} />
          </dd>
        </div>
      ))}
      <div className="contents" data-testid="preview-sessions">
        <dt className="text-slate-600">Sessions</dt>
        <dd>
          <span className="font-medium text-slate-900">{countSessions(member.openSessions)}</span> will end now
        </dd>
      </div>
    </dl>
  );
}

/** Many members: the totals, then each member (the first 50) on one line. */
function BulkPreview({ action, preview }: { action: TOffboardingAction; preview: TOffboardingPreview }) {
  const kinds = REMOVED_RELATIONS[action] ?? [];
  return (
    <div className="space-y-3">
      <p className="text-sm">
        <span className="font-semibold">{countMembers(preview.affected)}</span> will be changed. In total:
      </p>
      <ul aria-label="Totals" className="flex flex-wrap gap-2 text-sm">
        {kinds.map((kind) => (
          <li key={kind} className="rounded bg-slate-100 px-2 py-1">
            {RELATION_LABELS[kind]}: <span className="font-semibold">{preview.totals[kind].toLocaleString("en")}</span>
          </li>
        ))}
        <li className="rounded bg-slate-100 px-2 py-1">
          Open sessions: <span className="font-semibold">{preview.totals.sessions.toLocaleString("en")}</span>
        </li>
      </ul>
      {preview.members.length > 0 ? (
        <ScrollRegion label="Per member, scrolls" className="max-h-56 overflow-y-auto rounded border border-slate-200">
          <table aria-label="Per member" className="min-w-full divide-y divide-slate-100 text-xs">
            <thead className="bg-slate-50 text-left font-semibold text-slate-600">
              <tr>
                <th scope="col" className="px-2 py-1">
                  Member
                </th>
                <th scope="col" className="px-2 py-1">
                  Removes
                </th>
                <th scope="col" className="px-2 py-1">
                  Sessions
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {preview.members.map((member) => {
                const removes = kinds.flatMap((kind) => member.removes[kind].map((name) => `${name} (${RELATION_LABELS[kind].toLowerCase()})`));
                return (
                  <tr key={member.memberId}>
                    <th scope="row" className="px-2 py-1 text-left font-medium">
                      {member.username}
                    </th>
                    <td className="px-2 py-1">{removes.length > 0 ? removes.join(", ") : <span className="italic text-slate-500">nothing</span>}</td>
                    <td className="px-2 py-1">{member.openSessions}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </ScrollRegion>
      ) : null}
      {preview.affected > preview.members.length ? (
        <p className="text-xs text-slate-500">The first {preview.members.length} are listed; the totals count everyone.</p>
      ) : null}
    </div>
  );
}

/**
 * The offboarding preview of a confirmation dialog: exactly what the action
 * would revoke or remove, computed by the action's own code on the server.
 */
export function OffboardingPreview({
  action,
  memberIds,
  preview,
}: {
  action: TOffboardingAction;
  memberIds: readonly string[];
  preview: ReturnType<typeof useOffboardingPreview>;
}) {
  if (preview.isPending || preview.isError) return <QueryStatus query={preview} loading="Working out what will be revoked…" failure="The preview could not be loaded" />;
  const data = preview.data;
  const single = memberIds.length === 1 ? data.members[0] : undefined;
  return (
    <section aria-label="What will be revoked" className="space-y-3 rounded-md border border-amber-200 bg-amber-50/60 p-3">
      <h3 className="text-sm font-semibold text-slate-900">What will be revoked</h3>
      {single ? <MemberPreview action={action} member={single} /> : data.affected > 0 ? <BulkPreview action={action} preview={data} /> : null}
      {data.refused.length > 0 ? <RefusedMembers title={memberIds.length === 1 ? "Not possible" : "These members will be left as they are"} refused={data.refused} /> : null}
    </section>
  );
}
