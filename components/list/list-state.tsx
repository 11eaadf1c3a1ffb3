"use client";

import type { ReactNode } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";

/**
 * The one place the console shows a query's loading, failure (with "Try
 * again"), empty and "Load more" states, so that every list and panel behaves
 * and reads the same. `tests/unit/list-state.test.ts` keeps "Try again" and
 * "Load more" here: a component that wants them uses these.
 */

type TLoadError = { message: string } | null;

/** What every React Query result, plain or infinite, offers the states. */
export type TQueryStatus<TData> = {
  isPending: boolean;
  data: TData | undefined;
  error: TLoadError;
  refetch: () => unknown;
  isRefetchError?: boolean;
  /** Data of the previous input shown while the new one loads: it says nothing about emptiness. */
  isPlaceholderData?: boolean;
};

/** What an infinite query adds: the next page. */
export type TNextPageStatus = {
  error: TLoadError;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  fetchNextPage: () => unknown;
  isPlaceholderData?: boolean;
};

type TPages<TItem> = { pages: readonly { items: readonly TItem[] }[] };

/** The item type of a list query's data: an array, `{ items }`, or an infinite query's pages of `{ items }`. */
export type TItemOf<TData> =
  TData extends readonly (infer TItem)[] ? TItem : TData extends TPages<infer TItem> ? TItem : TData extends { items: readonly (infer TItem)[] } ? TItem : never;

function itemsOf<TData>(data: TData): TItemOf<TData>[] {
  if (Array.isArray(data)) return data as TItemOf<TData>[];
  const shaped = data as Partial<TPages<TItemOf<TData>>> & { items?: readonly TItemOf<TData>[] };
  if (shaped.pages) return shaped.pages.flatMap((page) => page.items);
  return [...(shaped.items ?? [])];
}

function isPaged(query: object): query is TNextPageStatus {
  return "fetchNextPage" in query;
}

/** "Loading…" while a query has no data yet; `aria-busy` tells assistive technology the content is on its way. */
export function LoadingState({ children }: { children: ReactNode }) {
  return (
    <p role="status" aria-busy="true" className="text-sm text-slate-600">
      {children}
    </p>
  );
}

/** A failed load: what could not be loaded, the server's reason, "Try again" and any other way out (`actions`). */
export function LoadFailure({ failure, error, onRetry, actions }: { failure: ReactNode; error: TLoadError; onRetry: () => unknown; actions?: ReactNode }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {failure}
      {error ? `: ${error.message}` : "."}{" "}
      <button type="button" className="font-medium underline" onClick={() => void onRetry()}>
        Try again
      </button>
      {actions ? <> {actions}</> : null}
    </div>
  );
}

/** A list with nothing in it: a dashed panel on a page, a quiet line inside a card. */
export function EmptyList({ children, inline = false }: { children: ReactNode; inline?: boolean }) {
  if (inline) return <p className="text-sm italic text-slate-500">{children}</p>;
  return <div className="rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-sm text-slate-600">{children}</div>;
}

/**
 * For a query without data to show: its loading line, or its failure with
 * "Try again". Use as `if (query.isPending || query.isError) return <QueryStatus …/>`.
 */
export function QueryStatus({ query, loading, failure, actions }: { query: TQueryStatus<unknown>; loading: ReactNode; failure: ReactNode; actions?: ReactNode }) {
  if (query.isPending || query.isPlaceholderData) return <LoadingState>{loading}</LoadingState>;
  return <LoadFailure failure={failure} error={query.error} onRetry={query.refetch} actions={actions} />;
}

/**
 * An infinite list's footer: with `count`, a "Showing the first 50 members."
 * line; "Load more" (busy while the page loads); when a page failed, its
 * failure with "Try again".
 */
export function LoadMore({ query, shown, count, failure = "More could not be loaded" }: { query: TNextPageStatus; shown: number; count?: (shown: number) => string; failure?: ReactNode }) {
  return (
    <>
      {query.isFetchNextPageError ? <LoadFailure failure={failure} error={query.error} onRetry={query.fetchNextPage} /> : null}
      {count || query.hasNextPage ? (
        <div className="flex flex-wrap items-center gap-4">
          {count ? <p className="text-sm text-slate-600">{query.hasNextPage ? `Showing the first ${count(shown)}.` : `Showing ${count(shown)}.`}</p> : null}
          {query.hasNextPage ? (
            <button
              type="button"
              disabled={query.isFetchingNextPage || query.isPlaceholderData}
              aria-busy={query.isFetchingNextPage || undefined}
              onClick={() => void query.fetchNextPage()}
              className={SECONDARY_BUTTON}
            >
              {query.isFetchingNextPage ? "Loading…" : "Load more"}
            </button>
          ) : null}
        </div>
      ) : null}
    </>
  );
}

/**
 * A list query's every state: loading, failure with "Try again", the empty
 * message, then the items through `children` with, for an infinite query,
 * "Load more". Data already shown stays when a refresh fails.
 */
export function ListState<TData, TItem = TItemOf<TData>>({
  query,
  loading,
  failure,
  empty,
  inline = false,
  refreshFailure,
  moreFailure,
  count,
  select,
  children,
}: {
  query: TQueryStatus<TData> | (TQueryStatus<TData> & TNextPageStatus);
  /** "Loading the timeline…" */
  loading: ReactNode;
  /** "The timeline could not be loaded": the server's reason and "Try again" follow. */
  failure: ReactNode;
  empty: ReactNode;
  /** The empty message as a quiet line (inside a card) rather than a panel. */
  inline?: boolean;
  /** "The list could not be refreshed": said, with "Try again", above rows kept after a failed refresh. Without it the rows stay quietly (a form nearby often says why already). */
  refreshFailure?: ReactNode;
  /** "More events could not be loaded" */
  moreFailure?: ReactNode;
  /** "50 members": shows "Showing the first 50 members." beside "Load more". */
  count?: (shown: number) => string;
  /** The items to show, when they are not the data's own. */
  select?: (data: TData) => TItem[];
  children: (items: TItem[]) => ReactNode;
}) {
  if (query.isPending) return <LoadingState>{loading}</LoadingState>;
  if (query.data === undefined) return <LoadFailure failure={failure} error={query.error} onRetry={query.refetch} />;
  const items = select ? select(query.data) : (itemsOf(query.data) as TItem[]);
  if (items.length === 0) {
    return query.isPlaceholderData ? <LoadingState>{loading}</LoadingState> : <EmptyList inline={inline}>{empty}</EmptyList>;
  }
  return (
    <div className="space-y-3">
      {children(items)}
      {query.isRefetchError && refreshFailure ? <LoadFailure failure={refreshFailure} error={query.error} onRetry={query.refetch} /> : null}
      {isPaged(query) ? <LoadMore query={query} shown={items.length} count={count} failure={moreFailure} /> : null}
    </div>
  );
}

/** A route's error boundary (an `error.tsx` under app/): the render failed; "Try again" renders the route again. */
export function PageFailure({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-4 text-sm text-red-800">
      <p className="font-medium">This page could not be shown.</p>
      <p className="mt-1">{error.digest ? `Reference ${error.digest}. ` : ""}Try again, or reload the page.</p>
      <button type="button" onClick={reset} className="mt-2 font-medium underline">
        Try again
      </button>
    </div>
  );
}
