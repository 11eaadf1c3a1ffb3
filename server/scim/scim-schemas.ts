import { z } from "zod";
import { ZEntityId } from "@/server/ids";

// Inputs of Settings → Provisioning (SCIM), shared by the form and the procedures. Pure.

export const SCIM_DELETE_ACTIONS = ["disable", "resign", "delete"] as const;
export const SCIM_DELETE_ACTION_LABELS: Record<(typeof SCIM_DELETE_ACTIONS)[number], string> = {
  disable: "Disable the member (default; undoable)",
  resign: "Mark the member as resigned",
  delete: "Delete the member to the recycle bin",
};

export const ZScimSettingsInput = z.strictObject({
  deleteAction: z.enum(SCIM_DELETE_ACTIONS, { message: "Choose one of the listed actions" }),
  createDepartments: z.boolean(),
});
export type TScimSettingsInput = z.input<typeof ZScimSettingsInput>;
export type TScimSettings = z.output<typeof ZScimSettingsInput>;

/** A query's input (not strict: React Query may add its own keys). */
export const ZScimRequestsQuery = z.object({ tokenId: ZEntityId("Unknown token").nullish() });
