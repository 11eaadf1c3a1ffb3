// What the sync pages call a run's states, kinds and actions. Pure.

export const SYNC_STATUS_LABELS: Record<string, string> = {
  queued: "Waiting to start",
  reading: "Reading the directory",
  planned: "Planned",
  awaiting_approval: "Dry run: waiting for approval",
  stopped: "Stopped by the safety stop",
  applying: "Applying",
  succeeded: "Finished",
  failed: "Failed",
  cancelled: "Cancelled",
};

/** While a run is in one of these, its page polls for progress. */
export const ACTIVE_SYNC_STATUSES: ReadonlySet<string> = new Set(["queued", "reading", "applying"]);
export const WAITING_SYNC_STATUSES: ReadonlySet<string> = new Set(["awaiting_approval", "stopped"]);

export const SYNC_ACTION_LABELS: Record<string, string> = {
  create: "Creates",
  update: "Updates",
  move: "Moves",
  link: "Links",
  deprovision: "Deprovisions",
  reenable: "Re-enables",
  unchanged: "Unchanged",
  error: "Errors",
};

export const syncRunHref = (directoryId: string, runId: string) => `/console/settings/directories/${directoryId}/runs/${runId}`;
export const syncReportHref = (runId: string, errorsOnly: boolean) => `/api/directory-sync-runs/${runId}/report${errorsOnly ? "?errors=only" : ""}`;
