import { z } from "zod";
import { ZEntityId } from "@/server/ids";

// Inputs of an application's members views (console) and of the member's own
// applications (/me). List inputs are z.object: infinite queries add a cursor.

const ZApplicationId = ZEntityId("Unknown application");

/** A keyset page of an application's list; `cursor` is the last line's id of the previous page. */
export const ZApplicationListInput = z.object({
  applicationId: ZApplicationId,
  cursor: ZEntityId("Invalid cursor").nullish(),
  limit: z.number().int().min(1).max(100).default(25),
});

/** An admin ends one member's session at one application. */
export const ZEndApplicationSession = z.strictObject({ applicationId: ZApplicationId, memberId: ZEntityId("Unknown member") });

/** A member ends their own session at one application. */
export const ZEndMyApplicationSession = z.strictObject({ applicationId: ZApplicationId });

export type TApplicationListInput = z.input<typeof ZApplicationListInput>;
export type TEndApplicationSessionInput = z.input<typeof ZEndApplicationSession>;
export type TEndMyApplicationSessionInput = z.input<typeof ZEndMyApplicationSession>;
