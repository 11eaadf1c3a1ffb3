import { z } from "zod";
import { zLine, zSecret, zText } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";

// Inputs of the lifecycle actions, shared by the console's dialogs and the procedures.

export const MAX_BULK_MEMBERS = 10_000;

const ZMemberIds = z
  .array(ZEntityId("Unknown member"))
  .min(1, "Select at least one member")
  .max(MAX_BULK_MEMBERS, `At most ${MAX_BULK_MEMBERS.toLocaleString("en")} members at once`);

const ZReason = (required: string) => zText().min(1, required).max(200, "At most 200 characters");
const ZOptionalReason = zText()
  .max(200, "At most 200 characters")
  .transform((value) => (value === "" ? null : value))
  .nullish();

/** A moment in the future (a form's datetime-local value or a Date); empty means none. */
const ZFutureDate = (message: string) =>
  z.preprocess(
    (value) => (value === "" ? null : value),
    z.coerce
      .date({ message: "Enter a date and time" })
      .refine((date) => date.getTime() > Date.now(), message)
      .nullish(),
  );

export const ZLifecycleActionInput = z.discriminatedUnion("action", [
  z.strictObject({
    action: z.literal("lock"),
    memberIds: ZMemberIds,
    reason: ZReason("Say why the account is locked"),
    /** Empty: locked now; a future date schedules the lock (the specification's lockStartDate). */
    lockStartDate: ZFutureDate("A scheduled lock must start in the future"),
    /** Empty: locked until someone unlocks it. */
    lockEndDate: ZFutureDate("The lock must end in the future"),
  }).refine((input) => !input.lockStartDate || !input.lockEndDate || input.lockEndDate > input.lockStartDate, {
    path: ["lockEndDate"],
    message: "The lock must end after it starts",
  }),
  z.strictObject({ action: z.literal("disable"), memberIds: ZMemberIds, reason: ZReason("Say why the account is disabled") }),
  z.strictObject({
    action: z.literal("resign"),
    memberIds: ZMemberIds,
    reason: ZOptionalReason,
    /** Empty: the member leaves now; a future date schedules it. */
    leaveDate: ZFutureDate("A scheduled leave date must be in the future"),
  }),
  z.strictObject({ action: z.enum(["activate", "unlock", "enable", "archive", "unarchive", "delete", "restore"]), memberIds: ZMemberIds }),
]);
export type TLifecycleActionInput = z.input<typeof ZLifecycleActionInput>;
export type TLifecycleActionParsed = z.output<typeof ZLifecycleActionInput>;

export const ZOffboardingPreviewInput = z.strictObject({
  action: z.enum(["disable", "resign", "archive", "delete"]),
  memberIds: ZMemberIds,
});

/** Immediate, permanent deletion: the admin types the member's username to confirm. */
export const ZHardDeleteInput = z.strictObject({
  memberId: ZEntityId("Unknown member"),
  confirmUsername: zLine().min(1, "Type the member's username to confirm"),
});
export type THardDeleteInput = z.input<typeof ZHardDeleteInput>;

export const ZCancelLeaveInput = z.strictObject({ memberId: ZEntityId("Unknown member") });

export const ZLifecycleSettingsInput = z.strictObject({
  deletionGraceDays: z.coerce.number().int("Whole days").min(1, "At least 1 day").max(365, "At most 365 days"),
  passwordReminderDays: z
    .array(z.coerce.number().int("Whole days").min(1, "At least 1 day").max(90, "At most 90 days"))
    .max(5, "At most 5 reminders")
    .transform((days) => [...new Set(days)].sort((a, b) => b - a)),
});
export type TLifecycleSettingsInput = z.input<typeof ZLifecycleSettingsInput>;

// A plain object: infinite queries add fields of their own.
export const ZRecycleBinInput = z.object({
  limit: z.number().int().min(1).max(100).default(50),
  cursor: zSecret().max(200).nullish(),
});
