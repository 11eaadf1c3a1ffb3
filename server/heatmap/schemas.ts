import { z } from "zod";
import { ZEntityId } from "@/server/ids";
import { zLine } from "@/server/validation/text";

/** The department heatmap's filters: a department's subtree, and text found in a permission or its policy's name. */
export const ZDepartmentHeatmapInput = z.strictObject({
  subtreeOf: ZEntityId("Unknown department").nullish(),
  permissionContains: zLine().max(100, "At most 100 characters").nullish(),
});
export type TDepartmentHeatmapInput = z.infer<typeof ZDepartmentHeatmapInput>;

/** One cell's holders, a page at a time. A plain object: infinite queries add fields of their own (direction), which are dropped. */
export const ZCellHoldersInput = z.object({
  departmentId: ZEntityId("Unknown department"),
  policyId: ZEntityId("Unknown permission"),
  cursor: z.string().max(200, "Invalid cursor").nullish(),
});
export type TCellHoldersInput = z.infer<typeof ZCellHoldersInput>;

export const ZOutliersInput = z.strictObject({ departmentId: ZEntityId("Unknown department").nullish() });
export type TOutliersInput = z.infer<typeof ZOutliersInput>;
