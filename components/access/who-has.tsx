"use client";

import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useState, type FormEvent } from "react";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import { ZPermissionQuery } from "@/server/access/schemas";

type TSubject = { kind: "permission"; permission: string } | { kind: "role" | "application"; itemId: string };
type TKind = TSubject["kind"];

const KIND_LABEL: Record<TKind, string> = { permission: "A permission", role: "A role", application: "An application" };

/**
 * "Who has X, and through what?": a permission (with wildcards, as can()
 * reads them), a role or an application; the members who hold it now, in
 * pages, each with every path that gives it.
 */
export function WhoHas({ initialPermission }: { initialPermission?: string }) {
  const trpc = useTRPC();
  const kindId = useId();
  const valueId = useId();
  const errorId = useId();
  const [kind, setKind] = useState<TKind>("permission");
  const [permission, setPermission] = useState(initialPermission ?? "");
  const [itemId, setItemId] = useState("");
  const [invalid, setInvalid] = useState<string | null>(null);
  const [subject, setSubject] = useState<TSubject | null>(initialPermission ? { kind: "permission", permission: initialPermission } : null);
  const catalogue = useQuery({ ...trpc.access.list.queryOptions({ kind: kind === "permission" ? "role" : kind }), enabled: kind !== "permission" });
  const holders = useInfiniteQuery({
    ...trpc.access.whoHas.infiniteQueryOptions({ subject: subject ?? { kind: "permission", permission: "x:x" }, limit: 50 }, { getNextPageParam: (page) => page.nextCursor }),
    enabled: subject !== null,
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (kind === "permission") {
      const parsed = ZPermissionQuery.safeParse(permission);
      if (!parsed.success) return setInvalid(parsed.error.issues[0]?.message ?? "Write it as resource:action");
      setInvalid(null);
      setSubject({ kind, permission: parsed.data });
    } else {
      if (!itemId) return setInvalid(`Choose ${kind === "role" ? "a role" : "an application"}`);
      setInvalid(null);
      setSubject({ kind, itemId });
    }
  };

  return (
    <div className="space-y-4">
      <form onSubmit={submit} aria-label="Who has" className="flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4">
        <div>
          <label htmlFor={kindId} className="block text-sm font-medium text-slate-900">
            Who has
          </label>
          <select
            id={kindId}
            value={kind}
            onChange={(event) => {
              setKind(event.target.value as TKind);
              setInvalid(null);
            }}
            className="mt-1 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
          >
            {(Object.keys(KIND_LABEL) as TKind[]).map((option) => (
              <option key={option} value={option}>
                {KIND_LABEL[option]}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={valueId} className="block text-sm font-medium text-slate-900">
            {kind === "permission" ? "Permission" : kind === "role" ? "Role" : "Application"}
          </label>
          {kind === "permission" ? (
            <input
              id={valueId}
              value={permission}
              onChange={(event) => setPermission(event.target.value)}
              placeholder="repo:write"
              aria-invalid={invalid ? true : undefined}
              aria-describedby={invalid ? errorId : undefined}
              className="mt-1 w-56 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            />
          ) : (
            <select
              id={valueId}
              value={itemId}
              onChange={(event) => setItemId(event.target.value)}
              aria-invalid={invalid ? true : undefined}
              aria-describedby={invalid ? errorId : undefined}
              className="mt-1 w-56 rounded-md border border-slate-300 px-2 py-1.5 text-sm"
            >
              <option value="">{catalogue.isPending ? "Loading…" : "Choose…"}</option>
              {(catalogue.data ?? []).map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          )}
        </div>
        <button type="submit" className="rounded-md bg-brand-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-brand-800">
          Show holders
        </button>
        {invalid ? (
          <p id={errorId} className="w-full text-sm text-red-700">
            {invalid}
          </p>
        ) : null}
      </form>
      {subject === null ? (
        <p className="text-sm text-slate-600">Choose what to look for: the members who hold it now are listed with every path that gives it.</p>
      ) : (
        <section aria-label="Holders" className="rounded-lg border border-slate-200 bg-white p-4">
          {holders.data?.pages[0]?.subject.coveredBy.length ? (
            <p className="mb-2 text-xs text-slate-600">Held through the policies {holders.data.pages[0].subject.coveredBy.join(", ")}.</p>
          ) : null}
          <ListState
            query={holders}
            loading="Loading the holders…"
            failure="The holders could not be loaded"
            empty="Nobody who can sign in holds it."
            inline
            moreFailure="More holders could not be loaded"
            count={(shown) => `${shown} ${shown === 1 ? "holder" : "holders"}`}
          >
            {(items) => (
              <ul aria-label="Members who hold it" className="divide-y divide-slate-100 text-sm">
                {items.map((holder) => (
                  <li key={holder.memberId} aria-label={holder.fullName} className="py-2">
                    <Link href={`/console/members/${holder.memberId}?tab=access`} className="font-medium text-brand-700 hover:underline">
                      {holder.fullName}
                    </Link>{" "}
                    <span className="text-xs text-slate-600">@{holder.username}</span>
                    <ul aria-label={`Paths of ${holder.fullName}`} className="mt-0.5 space-y-0.5 text-xs text-slate-700">
                      {holder.paths.map((path) => (
                        <li key={path.description}>{path.description}</li>
                      ))}
                    </ul>
                  </li>
                ))}
              </ul>
            )}
          </ListState>
        </section>
      )}
    </div>
  );
}
