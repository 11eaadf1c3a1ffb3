import { z } from "zod";

const MAX_BIGINT = 9_223_372_036_854_775_807n;

/** A database id as the API carries it: decimal digits within PostgreSQL's bigint. */
export const ZEntityId = (message: string) =>
  z
    .string()
    .regex(/^\d{1,19}$/, message)
    // Zod runs refinements even after the regex failed: only digits reach BigInt().
    .refine((value) => /^\d{1,19}$/.test(value) && BigInt(value) <= MAX_BIGINT, message);

/** The input of every procedure that names one member. */
export const ZMemberId = z.strictObject({ memberId: ZEntityId("Unknown member") });
