"use client";

import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, type ReactNode } from "react";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { PRIMARY_BUTTON, SECONDARY_BUTTON } from "@/components/form/button-styles";
import { DisableFromSourceOffer } from "@/components/imports/disable-from-source-offer";
import { ImportErrorsTable } from "@/components/imports/import-errors-table";
import { ACTIVE_IMPORT_STATUSES, IMPORT_STATUS_LABELS, countRows, reportHref } from "@/components/imports/import-labels";
import { ProgressBar } from "@/components/imports/progress-bar";
import { QueryStatus } from "@/components/list/list-state";
import { useTRPC } from "@/components/trpc/client";
import type { TImportSummary } from "@/server/imports/get-import";

function Figures({ items }: { items: [string, number][] }) {
  return (
    <dl className="flex flex-wrap gap-3">
      {items.map(([label, value]) => (
        <div key={label} className="min-w-32 flex-1 rounded-md border border-slate-200 bg-white px-3 py-2">
          <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
          <dd className="text-xl font-semibold tabular-nums">{value.toLocaleString("en")}</dd>
        </div>
      ))}
    </dl>
  );
}

function DownloadLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} download className={SECONDARY_BUTTON}>
      {children}
    </a>
  );
}

function ColumnNotes({ summary }: { summary: TImportSummary }) {
  return (
    <>
      {summary.ignoredColumns.length > 0 ? (
        <div className="text-sm text-slate-700">
          <p className="font-medium">Ignored columns</p>
          <ul className="mt-1 list-inside list-disc text-slate-600">
            {summary.ignoredColumns.map((column) => (
              <li key={column.column}>
                <span className="font-mono text-xs">{column.column}</span>: {column.reason}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {summary.missingColumns.length > 0 ? (
        <FormAlert tone="info">
          The file has no {summary.missingColumns.join(", ")} column: it can update existing members, but rows for new members are refused.
        </FormAlert>
      ) : null}
    </>
  );
}

/** One import: its dry-run summary, then its progress while applying, then its final report. */
export function ImportView({ importId }: { importId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery({
    ...trpc.imports.get.queryOptions({ importId }),
    refetchInterval: (current) => (current.state.data && ACTIVE_IMPORT_STATUSES.has(current.state.data.status) ? 1000 : false),
  });
  const settle = async (summary: TImportSummary) => {
    queryClient.setQueryData(trpc.imports.get.queryKey({ importId }), summary);
    await queryClient.invalidateQueries(trpc.imports.list.pathFilter());
  };
  // The list of recent imports shows statuses and counts too: refresh it whenever this import moves on.
  const status = query.data?.status;
  useEffect(() => {
    if (status) void queryClient.invalidateQueries(trpc.imports.list.pathFilter());
  }, [status, queryClient, trpc]);
  const start = useMutation(trpc.imports.start.mutationOptions({ onSuccess: settle }));
  const cancel = useMutation(trpc.imports.cancel.mutationOptions({ onSuccess: settle }));
  // Rows that make admins ask the session to confirm it's them first.
  const { requireStepUp, stepUpDialog } = useStepUp();
  const startImport = () => start.mutate({ importId }, { onError: (error) => void requireStepUp(error, startImport) });
  const actionError = (start.error && !isStepUpRequired(start.error) ? start.error : null) ?? cancel.error;
  const busy = start.isPending || cancel.isPending;

  if (query.isPending || query.isError) return <QueryStatus query={query} loading="Loading the import…" failure="This import could not be loaded" />;
  const summary = query.data;
  const errors = summary.errorRows + summary.failedCount;
  const cancelButton = (
    <button type="button" disabled={busy} onClick={() => cancel.mutate({ importId })} className={SECONDARY_BUTTON}>
      {cancel.isPending ? "Cancelling…" : summary.status === "validated" ? "Discard" : "Stop import"}
    </button>
  );

  let body: ReactNode;
  switch (summary.status) {
    case "validating":
      body = (
        <p role="status" className="text-sm text-slate-600">
          This file is still being checked…
        </p>
      );
      break;
    case "failed_validation":
      body = <FormAlert>This file could not be imported: {summary.failureMessage}</FormAlert>;
      break;
    case "validated":
      body = (
        <>
          <Figures items={[["Rows", summary.totalRows], ["Valid", summary.validRows], ["With errors", summary.errorRows]]} />
          <ColumnNotes summary={summary} />
          <ImportErrorsTable errors={summary.firstErrors} total={summary.errorRows} />
          <SuccessStatus message={summary.errorRows === 0 ? "Every row is valid." : null} />
          <div className="flex flex-wrap gap-3">
            <button type="button" disabled={busy || summary.validRows === 0} onClick={startImport} className={PRIMARY_BUTTON}>
              {start.isPending ? "Starting…" : `Apply ${countRows(summary.validRows)}`}
            </button>
            {summary.errorRows > 0 ? <DownloadLink href={reportHref(importId, true)}>Download error report (CSV)</DownloadLink> : null}
            {cancelButton}
          </div>
          {summary.validRows === 0 ? <FormAlert>No row of this file is valid: correct the file and upload it again.</FormAlert> : null}
        </>
      );
      break;
    case "queued":
    case "applying":
      body = (
        <>
          <ProgressBar
            label="Applying"
            value={summary.appliedRows}
            max={summary.totalRows}
            detail={`${summary.appliedRows.toLocaleString("en")} of ${countRows(summary.totalRows)} done · ${errors.toLocaleString("en")} with errors`}
          />
          <Figures items={[["Created", summary.createdCount], ["Updated", summary.updatedCount], ["Unchanged", summary.unchangedCount], ["Errors", errors]]} />
          <div>{cancelButton}</div>
        </>
      );
      break;
    default:
      body = (
        <>
          {summary.status === "completed" ? (
            <SuccessStatus
              message={<>Import finished: {countRows(summary.createdCount + summary.updatedCount)} written, {errors.toLocaleString("en")} with errors.</>}
            />
          ) : summary.status === "failed" ? (
            <FormAlert>This import stopped: {summary.failureMessage}</FormAlert>
          ) : (
            <FormAlert tone="info">This import was cancelled{summary.appliedRows > 0 ? ` after ${countRows(summary.appliedRows)}` : ""}.</FormAlert>
          )}
          <Figures
            items={[
              ["Created", summary.createdCount],
              ["Updated", summary.updatedCount],
              ["Unchanged", summary.unchangedCount],
              ["Failed", summary.failedCount],
              ["Invalid", summary.errorRows],
            ]}
          />
          {summary.disabledInSource ? <DisableFromSourceOffer importId={importId} {...summary.disabledInSource} /> : null}
          <ImportErrorsTable errors={summary.firstErrors} total={errors} />
          <div className="flex flex-wrap gap-3">
            {summary.rowsPurgedAt ? (
              <p className="text-sm text-slate-600">The rows of this import were deleted after a few days; the counts remain.</p>
            ) : (
              <DownloadLink href={reportHref(importId, false)}>Download the full report (CSV)</DownloadLink>
            )}
            <Link href="/console/members?source=import&sort=created&order=desc" className={SECONDARY_BUTTON}>
              See imported members
            </Link>
          </div>
        </>
      );
  }

  return (
    <section aria-labelledby="import-heading" className="space-y-4 rounded-lg border border-slate-200 bg-slate-50 p-6">
      {stepUpDialog}
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="import-heading" className="text-lg font-semibold">
          {summary.fileName}
        </h2>
        <p className="text-sm text-slate-600">
          {summary.format.toUpperCase()} · <span data-testid="import-status">{IMPORT_STATUS_LABELS[summary.status]}</span>
        </p>
      </header>
      {body}
      {actionError ? <FormAlert>The import could not be changed: {actionError.message}</FormAlert> : null}
    </section>
  );
}
