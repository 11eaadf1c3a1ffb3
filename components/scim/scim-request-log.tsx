"use client";

import { useQuery } from "@tanstack/react-query";
import { DateTime } from "@/components/date-time";
import { ListState } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";

/** Each SCIM token with its recent requests, errors first: what a failing provisioning run looks like from here. */
export function ScimRequestLog() {
  const trpc = useTRPC();
  const tokens = useQuery(trpc.scim.recentRequests.queryOptions({}));
  return (
    <ListState
      query={tokens}
      loading="Loading the recent SCIM requests…"
      failure="The recent SCIM requests could not be loaded"
      empty="No token with the scim scope yet: create one in Settings → API tokens."
    >
      {(items) => (
        <div className="space-y-4">
          {items.map((token) => (
            <section key={token.id} aria-label={`Requests of ${token.name}`} className="rounded-lg border border-slate-200 bg-white p-4">
              <h2 className="font-medium">
                {token.name}{" "}
                <span className="text-sm font-normal text-slate-600">
                  {token.live ? "live" : "revoked or expired"} · {token.errors} error{token.errors === 1 ? "" : "s"} in the last {token.requests.length} requests
                </span>
              </h2>
              {token.requests.length === 0 ? (
                <p className="mt-2 text-sm text-slate-600">No request yet.</p>
              ) : (
                <table className="mt-2 w-full text-left text-sm">
                  <thead className="text-slate-600">
                    <tr>
                      <th scope="col">Time</th>
                      <th scope="col">Request</th>
                      <th scope="col">Outcome</th>
                    </tr>
                  </thead>
                  <tbody>
                    {token.requests.map((request) => (
                      <tr key={request.id} className={request.status >= 400 ? "text-red-700" : "text-slate-800"}>
                        <td className="py-1 pr-3 align-top">
                          <DateTime value={request.at} />
                        </td>
                        <td className="py-1 pr-3 align-top font-mono">
                          {request.method} /{request.resourceType}
                          {request.resourceId ? `/${request.resourceId}` : ""}
                        </td>
                        <td className="py-1 align-top">
                          {request.status}
                          {request.scimType ? ` ${request.scimType}` : ""}
                          {request.detail ? <span className="block text-slate-600">{request.detail}</span> : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          ))}
        </div>
      )}
    </ListState>
  );
}
