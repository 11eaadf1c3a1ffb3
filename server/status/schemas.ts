import { z } from "zod";

/** The sign-in incidents chart covers the last 14 or 30 days. */
export const INCIDENT_PERIODS = [14, 30] as const;
export const ZSignInIncidentsInput = z.strictObject({ days: z.union([z.literal(14), z.literal(30)]).default(14) });
export type TSignInIncidentsInput = z.input<typeof ZSignInIncidentsInput>;

/** "Expiring soon": a password whose expiry falls within this many days. */
export const ZPasswordHealthInput = z.strictObject({ withinDays: z.number().int().min(1).max(90).default(14) });
export type TPasswordHealthInput = z.input<typeof ZPasswordHealthInput>;
