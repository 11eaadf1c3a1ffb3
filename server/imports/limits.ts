// The import's sizes and periods, in one place (README: "Import and export").

/** The largest file an upload may send; larger ones are refused with a clear message. */
export const MAX_IMPORT_BYTES = 200 * 1024 * 1024;
/** A record longer than this is refused: one runaway quote must not fill memory. */
export const MAX_RECORD_BYTES = 64 * 1024;
/** Rows written to the staging tables per statement during the dry run. */
export const STAGE_BATCH_ROWS = 2000;
/** Rows applied per transaction: a worker that dies redoes at most this many (2,000 rather than 1,000: a tenth less database time per row, measured). */
export const APPLY_BATCH_ROWS = 2000;
/** Batches being applied at once (each on its own connection, committing in order): the database's writes keep two cores busy. */
export const APPLY_BATCHES_IN_FLIGHT = 2;
/** How long one job applies before it hands over to a fresh job (a stopping worker waits at most this). */
export const APPLY_SLICE_MS = 10_000;
/** An import queued or applying without progress for this long has lost its worker: the watchdog resumes it. */
export const STALLED_AFTER_MINUTES = 2;
/** A dry run without progress for this long was interrupted (the upload broke off or the server stopped). */
export const INTERRUPTED_VALIDATION_AFTER_MINUTES = 60;
/** Staged rows (personal data) are deleted this long after an import ends, or after a dry run nobody applied. */
export const STAGED_ROWS_RETENTION_DAYS = 7;
/** Errors shown on the page; the downloadable report has all of them. */
export const ERRORS_SHOWN = 100;
