// The directory sync's sizes and periods, in one place (README: "Directory sync").

/** Staged entries applied per transaction: a worker that dies redoes at most this many. */
export const SYNC_APPLY_BATCH = 1000;
/** Members deprovisioned or re-enabled per transaction (each goes through the lifecycle's transitions). */
export const SYNC_LIFECYCLE_BATCH = 200;
/** How long one job applies before it hands over to a fresh job. */
export const SYNC_APPLY_SLICE_MS = 10_000;
/** A run reading or applying without a heartbeat for this long lost its worker: the watchdog gives it a fresh job. */
export const SYNC_STALLED_AFTER_MINUTES = 2;
/** A scheduled run is full (it sees deletions) when the last full run is older than this; incremental otherwise. */
export const FULL_SYNC_EVERY_HOURS = 24;
/** Entries a page of the run's plan shows at most. */
export const SYNC_ENTRIES_PAGE = 100;
