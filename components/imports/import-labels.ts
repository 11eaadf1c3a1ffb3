import type { TImportStatus } from "@/server/imports/get-import";

// What the import page calls an import's states and counts. Pure.

export const IMPORT_STATUS_LABELS: Record<TImportStatus, string> = {
  validating: "Checking",
  validated: "Checked, not applied",
  failed_validation: "File refused",
  queued: "Waiting to apply",
  applying: "Applying",
  completed: "Applied",
  failed: "Stopped",
  cancelled: "Cancelled",
};

/** While an import is in one of these, its page polls for progress. */
export const ACTIVE_IMPORT_STATUSES: ReadonlySet<TImportStatus> = new Set(["validating", "queued", "applying"]);

export const countRows = (count: number) => `${count.toLocaleString("en")} ${count === 1 ? "row" : "rows"}`;

/** Where the import's reports download (streamed CSV, server-side permission check). */
export const reportHref = (importId: string, errorsOnly: boolean) => `/api/imports/${importId}/report${errorsOnly ? "?errors=only" : ""}`;

export const importHref = (importId: string) => `/console/members/import?import=${importId}`;
