"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTRPC } from "@/components/trpc/client";

const PAGE_SIZE = 50;

function Status({ enabled, locked }: { enabled: boolean; locked: boolean }) {
  if (!enabled) return <span className="rounded bg-slate-200 px-2 py-0.5 text-xs text-slate-700">Disabled</span>;
  if (locked) return <span className="rounded bg-amber-100 px-2 py-0.5 text-xs text-amber-800">Locked</span>;
  return <span className="rounded bg-emerald-100 px-2 py-0.5 text-xs text-emerald-800">Active</span>;
}

export function MembersTable() {
  const trpc = useTRPC();
  const members = useInfiniteQuery(
    trpc.members.list.infiniteQueryOptions({ limit: PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
  );

  if (members.isPending) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading members…
      </p>
    );
  }
  if (members.isError) {
    return (
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
        The member list could not be loaded: {members.error.message}{" "}
        <button type="button" className="font-medium underline" onClick={() => void members.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const rows = members.data.pages.flatMap((page) => page.items);
  if (rows.length === 0) {
    return <p className="rounded-lg border border-dashed border-slate-300 bg-white p-8 text-center text-sm text-slate-600">No members yet.</p>;
  }
  return (
    <div className="space-y-3">
      <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200 text-sm">
          <thead className="bg-slate-50 text-left text-xs font-semibold uppercase tracking-wide text-slate-600">
            <tr>
              <th className="px-4 py-2">Name</th>
              <th className="px-4 py-2">Username</th>
              <th className="px-4 py-2">Email</th>
              <th className="px-4 py-2">Role</th>
              <th className="px-4 py-2">Status</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {rows.map((member) => (
              <tr key={member.id}>
                <td className="px-4 py-2 font-medium">
                  <Link href={`/console/members/${member.id}`} className="text-brand-700 hover:underline">
                    {member.fullName}
                  </Link>
                </td>
                <td className="px-4 py-2">{member.username}</td>
                <td className="px-4 py-2">{member.email}</td>
                <td className="px-4 py-2 capitalize">{member.role}</td>
                <td className="px-4 py-2">
                  <Status enabled={member.enabled} locked={member.locked} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {members.hasNextPage ? (
        <button
          type="button"
          disabled={members.isFetchingNextPage}
          onClick={() => void members.fetchNextPage()}
          className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-100 disabled:opacity-60"
        >
          {members.isFetchingNextPage ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}
