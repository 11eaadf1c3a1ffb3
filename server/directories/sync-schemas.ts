import { z } from "zod";
import { ZEntityId } from "@/server/ids";
import { zLine } from "@/server/validation/text";

// Inputs of the directorySync procedures. Mutations are strict (nothing but
// what they act on); queries take plain objects (infinite queries add fields).

export const ZSyncStart = z.strictObject({
  directoryId: ZEntityId("Unknown directory"),
  /** Full reads every entry and sees who left; incremental reads what changed since the last run. */
  kind: z.enum(["full", "incremental"]).default("full"),
});
export type TSyncStartInput = z.input<typeof ZSyncStart>;

export const ZSyncRunAction = z.strictObject({ runId: ZEntityId("Unknown sync run") });
export type TSyncRunActionInput = z.input<typeof ZSyncRunAction>;

export const ZSyncRunRef = z.object({ runId: ZEntityId("Unknown sync run") });

export const ZSyncRunList = z.object({
  directoryId: ZEntityId("Unknown directory"),
  limit: z.number().int().min(1).max(50).default(20),
  /** Keyset: the id of the last run of the previous page (newest first). */
  cursor: ZEntityId("Invalid cursor").nullish(),
});
export type TSyncRunListInput = z.input<typeof ZSyncRunList>;

export const SYNC_ACTIONS = ["create", "update", "move", "link", "deprovision", "reenable", "unchanged", "error"] as const;

export const ZSyncEntryList = z.object({
  runId: ZEntityId("Unknown sync run"),
  action: z.enum(SYNC_ACTIONS).nullish(),
  limit: z.number().int().min(1).max(100).default(50),
  /** Keyset: the entry id of the last entry of the previous page. */
  // An entry id from the previous page: text a NUL byte would make the database refuse (a 500), so refused here.
  cursor: zLine().max(100).nullish(),
});
export type TSyncEntryListInput = z.input<typeof ZSyncEntryList>;
