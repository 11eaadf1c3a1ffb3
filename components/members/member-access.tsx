"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { KIND_LABELS } from "@/components/access/access-kinds";
import { GrantForm } from "@/components/access/grant-form";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { EmptyList, QueryStatus } from "@/components/list/list-state";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { useTRPC } from "@/components/trpc/client";
import type { TAccessKind } from "@/server/access/schemas";
import { useStepUp } from "@/components/step-up/use-step-up";
import { DateTime } from "@/components/date-time";
import { EffectiveAccess } from "@/components/access/effective-access";

type TGrant = { id: string; name: string; grantedAt: string; permission?: string };
type TSection = { kind: TAccessKind; key: "roles" | "groups" | "applications" | "policies"; title: string; empty: string };

const SECTIONS: readonly TSection[] = [
  { kind: "role", key: "roles", title: "Roles", empty: "No roles." },
  { kind: "group", key: "groups", title: "Groups", empty: "In no group." },
  { kind: "application", key: "applications", title: "Applications", empty: "No applications." },
  { kind: "policy", key: "policies", title: "Direct policies", empty: "No policies granted directly." },
];

function PermissionChip({ permission }: { permission: string }) {
  return <code className="rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-800">{permission}</code>;
}

function GrantSection({
  section,
  grants,
  adding,
  revoking,
  memberId,
  onAdd,
  onRevoke,
  onDone,
  onCancel,
}: {
  section: TSection;
  grants: TGrant[];
  adding: boolean;
  revoking: boolean;
  memberId: string;
  onAdd: () => void;
  onRevoke: (grant: TGrant) => void;
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const headingId = useId();
  const { one } = KIND_LABELS[section.kind];
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div className="flex items-center justify-between gap-2">
        <div className="flex items-baseline gap-2">
          <h2 id={headingId} className="text-sm font-semibold text-slate-900">
            {section.title}
          </h2>
          <span className="text-xs text-slate-500">{grants.length}</span>
        </div>
        {adding ? null : (
          <button type="button" className="text-sm font-medium text-brand-700 hover:underline" onClick={onAdd}>
            Add {one}…
          </button>
        )}
      </div>
      {adding ? (
        <div className="rounded-md border border-slate-200 bg-slate-50 p-3">
          <GrantForm kind={section.kind} memberId={memberId} heldIds={grants.map((grant) => grant.id)} onDone={onDone} onCancel={onCancel} />
        </div>
      ) : null}
      {grants.length === 0 ? (
        <p className="text-sm italic text-slate-500">{section.empty}</p>
      ) : (
        <ul aria-label={`${section.title} held`} className="divide-y divide-slate-100 text-sm">
          {grants.map((grant) => (
            <li key={grant.id} aria-label={grant.name} className="flex items-start gap-3 py-2">
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-medium text-slate-900">{grant.name}</span>
                  {grant.permission ? <PermissionChip permission={grant.permission} /> : null}
                </div>
                <p className="text-xs text-slate-500">since <DateTime value={grant.grantedAt} /></p>
              </div>
              <button
                type="button"
                className="text-xs text-red-700 hover:underline disabled:opacity-60"
                disabled={revoking}
                onClick={() => onRevoke(grant)}
              >
                Revoke
                {/* Every row has a "Revoke": its name says what it revokes. */}
                <span className="sr-only"> {grant.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/**
 * The member page's Access tab: the roles, groups, applications and direct
 * policies a member holds, each revocable, a way to add one of each kind, and
 * the permissions all of it amounts to.
 */
export function MemberAccess({ memberId, memberName }: { memberId: string; memberName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const permissionsHeadingId = useId();
  const access = useQuery(trpc.access.ofMember.queryOptions({ memberId }));
  const [adding, setAdding] = useState<TAccessKind | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { requireStepUp, stepUpDialog } = useStepUp();
  const { askConfirmation, confirmDialog } = useConfirm();
  const revoke = useMutation(
    trpc.access.revoke.mutationOptions({
      onSettled: async () => {
        // Also after a failure: someone else may have revoked it first, and the list should say so.
        await Promise.all([
          queryClient.invalidateQueries(trpc.access.pathFilter()),
          queryClient.invalidateQueries(trpc.members.timeline.pathFilter()),
        ]);
      },
    }),
  );

  if (access.isPending || access.isError) return <QueryStatus query={access} loading="Loading access…" failure="This member's access could not be loaded" />;

  const startRevoke = async (kind: TAccessKind, grant: TGrant) => {
    setNotice(null);
    revoke.reset();
    const what = `the ${KIND_LABELS[kind].one} “${grant.name}”${grant.permission ? ` (${grant.permission})` : ""}`;
    const confirmed = await askConfirmation({
      title: `Revoke ${what} from ${memberName}?`,
      message: "They lose it at once; the audit trail records who revoked it.",
      confirmLabel: "Revoke",
      destructive: true,
    });
    if (!confirmed) return;
    const send = () =>
      revoke.mutate(
        { kind, itemId: grant.id, memberId },
        // Roles and policies ask for a recent step-up: confirm, then the same revoke again.
        { onSuccess: () => setNotice(`Revoked ${what}.`), onError: (error) => requireStepUp(error, send) },
      );
    send();
  };
  const { permissions } = access.data;

  return (
    <div className="space-y-4">
      <SuccessStatus message={notice} />
      {revoke.isError ? <FormAlert>{revoke.error.message}</FormAlert> : null}
      {stepUpDialog}
      {confirmDialog}
      <div className="grid gap-4 lg:grid-cols-2">
        {SECTIONS.map((section) => (
          <GrantSection
            key={section.kind}
            section={section}
            grants={access.data[section.key]}
            adding={adding === section.kind}
            revoking={revoke.isPending}
            memberId={memberId}
            onAdd={() => {
              setNotice(null);
              revoke.reset();
              setAdding(section.kind);
            }}
            onRevoke={(grant) => void startRevoke(section.kind, grant)}
            onDone={(message) => {
              setAdding(null);
              setNotice(message);
            }}
            onCancel={() => setAdding(null)}
          />
        ))}
      </div>
      <section aria-labelledby={permissionsHeadingId} className="rounded-lg border border-slate-200 bg-white p-4">
        <h2 id={permissionsHeadingId} className="text-sm font-semibold text-slate-900">
          Effective permissions
        </h2>
        <p className="mb-3 mt-1 text-xs text-slate-500">Direct policies and the policies of every role the member holds, directly or through a group or department.</p>
        {permissions.length === 0 ? (
          <EmptyList inline>No permissions.</EmptyList>
        ) : (
          <ul aria-label="Effective permissions" className="flex flex-wrap gap-1.5">
            {permissions.map((permission) => (
              <li key={permission}>
                <PermissionChip permission={permission} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <EffectiveAccess memberId={memberId} memberName={memberName} items={access.data.effective} counts={access.data.effectiveCounts} />
    </div>
  );
}
