"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { FormAlert } from "@/components/form/field";
import { EmptyList } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TEffectiveItem } from "@/server/access/list-member-access";
import { ZPermissionQuery } from "@/server/access/schemas";

const KIND_TITLES: Record<TEffectiveItem["kind"], string> = { role: "Roles", application: "Applications", permission: "Permissions" };

/**
 * Where a member's access comes from: every effective role, application and
 * permission, direct or inherited, each with its paths in words; and a
 * "Why does this member have X?" question answered by the same evaluation as can().
 */
export function EffectiveAccess({ memberId, memberName, items, counts }: { memberId: string; memberName: string; items: TEffectiveItem[]; counts: boolean }) {
  const headingId = useId();
  return (
    <section aria-labelledby={headingId} className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
      <div>
        <h2 id={headingId} className="text-sm font-semibold text-slate-900">
          Where access comes from
        </h2>
        <p className="mt-1 text-xs text-slate-600">Direct grants, groups, departments and what a parent department gives its whole subtree.</p>
      </div>
      {counts ? null : (
        <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {memberName} cannot sign in now, so none of this counts: every check answers no until they are active again.
        </p>
      )}
      {items.length === 0 ? (
        <EmptyList inline>No access from any path.</EmptyList>
      ) : (
        (["role", "application", "permission"] as const).map((kind) => {
          const ofKind = items.filter((item) => item.kind === kind);
          if (ofKind.length === 0) return null;
          return (
            <div key={kind}>
              <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-600">{KIND_TITLES[kind]}</h3>
              <ul aria-label={`${KIND_TITLES[kind]} and where they come from`} className="mt-1 divide-y divide-slate-100 text-sm">
                {ofKind.map((item) => (
                  <li key={item.id} aria-label={item.name} className="py-1.5">
                    <span className="font-medium text-slate-900">{item.name}</span>
                    <ul aria-label={`Paths of ${item.name}`} className="mt-0.5 space-y-0.5 text-xs text-slate-700">
                      {item.paths.map((path) => (
                        <li key={path}>{path}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            </div>
          );
        })
      )}
      <WhyQuestion memberId={memberId} memberName={memberName} />
    </section>
  );
}

function WhyQuestion({ memberId, memberName }: { memberId: string; memberName: string }) {
  const trpc = useTRPC();
  const inputId = useId();
  const errorId = useId();
  const [draft, setDraft] = useState("");
  const [asked, setAsked] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<string | null>(null);
  const answer = useQuery({ ...trpc.access.why.queryOptions({ memberId, permission: asked ?? "x:x" }), enabled: asked !== null });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const parsed = ZPermissionQuery.safeParse(draft);
    if (!parsed.success) {
      setInvalid(parsed.error.issues[0]?.message ?? "Write it as resource:action");
      return;
    }
    setInvalid(null);
    setAsked(parsed.data);
  };
  return (
    <form onSubmit={submit} className="space-y-2 border-t border-slate-100 pt-3" aria-label="Why does this member have a permission?">
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-900">
        Why does {memberName} have…
      </label>
      <div className="flex flex-wrap gap-2">
        <input
          id={inputId}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="repo:write"
          aria-invalid={invalid ? true : undefined}
          aria-describedby={invalid ? errorId : undefined}
          className="w-56 rounded-md border border-slate-300 px-2 py-1 text-sm"
        />
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1 text-sm font-medium text-white hover:bg-brand-800">
          Explain
        </button>
      </div>
      {invalid ? (
        <p id={errorId} className="text-sm text-red-700">
          {invalid}
        </p>
      ) : null}
      {asked === null ? null : answer.isPending ? (
        <p role="status" className="text-sm text-slate-600">
          Checking…
        </p>
      ) : answer.isError ? (
        <FormAlert>{answer.error.message}</FormAlert>
      ) : (
        <div role="status" aria-label="Answer" className="rounded-md bg-slate-50 p-3 text-sm">
          <p className="font-medium text-slate-900">
            {answer.data.allowed
              ? `Yes: ${memberName} may ${answer.data.permission}.`
              : answer.data.paths.length > 0
                ? `No: ${memberName} cannot sign in now, so the paths below count for nothing.`
                : `No: nothing gives ${memberName} ${answer.data.permission}.`}
          </p>
          {answer.data.coveredBy.length > 0 ? <p className="text-xs text-slate-600">Policies that would cover it: {answer.data.coveredBy.join(", ")}</p> : null}
          {answer.data.paths.length > 0 ? (
            <ul aria-label="Paths" className="mt-1 list-disc pl-5 text-xs text-slate-700">
              {answer.data.paths.map((path) => (
                <li key={path.description}>{path.description}</li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
    </form>
  );
}
