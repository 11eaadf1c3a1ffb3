import { z } from "zod";
import { ZEntityId } from "@/server/ids";

// Inputs of the imports procedures. Queries take plain objects: infinite
// queries add fields of their own (direction), which are dropped.

export const ZImportRef = z.object({ importId: ZEntityId("Unknown import") });
export type TImportRefInput = z.input<typeof ZImportRef>;

/** Apply and cancel: exactly the import, nothing else. */
export const ZImportAction = z.strictObject({ importId: ZEntityId("Unknown import") });
export type TImportActionInput = z.input<typeof ZImportAction>;

export const ZImportListInput = z.object({
  limit: z.number().int().min(1).max(50).default(10),
  /** Keyset cursor: the id of the last import of the previous page (newest first). */
  cursor: ZEntityId("Invalid cursor").nullish(),
});
export type TImportListInput = z.output<typeof ZImportListInput>;
