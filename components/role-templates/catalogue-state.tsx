import type { ReactNode } from "react";

/** The part of a React Query result a catalogue list needs to show its loading and error states. */
export type TListQuery<T> = {
  isPending: boolean;
  isError: boolean;
  error: { message: string } | null;
  data: T[] | undefined;
  refetch: () => unknown;
};

/**
 * A catalogue list's loading, error (with a retry) and empty states; the list
 * itself once there is something to show.
 */
export function CatalogueState<T>({
  query,
  what,
  empty,
  children,
}: {
  query: TListQuery<T>;
  /** "applications": in "Loading applications…". */
  what: string;
  empty: ReactNode;
  children: (items: T[]) => ReactNode;
}) {
  if (query.isPending) {
    return (
      <p role="status" className="text-sm text-slate-600">
        Loading {what}…
      </p>
    );
  }
  if (query.isError || !query.data) {
    return (
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
        The {what} could not be loaded: {query.error?.message ?? "unknown error"}{" "}
        <button type="button" className="font-medium underline" onClick={() => void query.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  if (query.data.length === 0) return <p className="rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-600">{empty}</p>;
  return children(query.data);
}
