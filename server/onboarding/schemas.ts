import { z } from "zod";
import { zSecret } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";
import { ZMemberCreate } from "@/server/members/schemas";
import { templateItemShape } from "@/server/role-templates/schemas";

// The onboarding wizard's input (specification: member-lifecycle, Employee
// Onboarding): the account, its departments, applications, roles and groups,
// an optional start date. One schema for the wizard's steps and the procedure.

/** A start in the future (a datetime-local value or a Date); empty means "now". */
const ZStartDate = z.preprocess(
  (value) => (value === "" ? null : value),
  z.coerce
    .date({ message: "Enter a date and time" })
    .refine((date) => date.getTime() > Date.now(), "The start date must be in the future")
    .nullish(),
);

export const NO_MAIN_DEPARTMENT = "Choose the main department among the chosen ones";

function checkMainDepartment(input: { departmentIds: string[]; mainDepartmentId?: string | null }, context: z.RefinementCtx) {
  const main = input.mainDepartmentId ?? null;
  if (input.departmentIds.length === 0) {
    if (main !== null) context.addIssue({ code: "custom", path: ["mainDepartmentId"], message: "Choose the member's departments first" });
  } else if (main === null || !input.departmentIds.includes(main)) {
    context.addIssue({ code: "custom", path: ["mainDepartmentId"], message: NO_MAIN_DEPARTMENT });
  }
}

// safeExtend keeps ZMemberCreate's own check (the mobile number against the chosen country).
export const ZOnboardMember = ZMemberCreate.safeExtend({
  ...templateItemShape,
  mainDepartmentId: ZEntityId("Unknown department").nullish(),
  /** Empty: the member is active at once; else pending until then, when a job activates them. */
  startDate: ZStartDate,
  /** The template the wizard started from, recorded in the audit event; the sets sent are what is granted. */
  templateId: ZEntityId("Unknown template").nullish(),
}).superRefine(checkMainDepartment);
export type TOnboardMemberInput = z.input<typeof ZOnboardMember>;
export type TOnboardMember = z.output<typeof ZOnboardMember>;

/** An invitation link's token: 32 random bytes, base64url (43 characters). */
export const ZInvitationToken = zSecret().regex(/^[A-Za-z0-9_-]{43}$/, "This invitation link is no longer valid");

/** Any string: a malformed token is simply not an open invitation (the same answer as a used one). */
export const ZInvitationLookup = z.strictObject({ token: zSecret().max(200) });

/** The invited member chooses a first password; the tenant's rules are checked by the service (server/auth/password-policy.ts). */
export const ZAcceptInvitation = z
  .strictObject({
    token: ZInvitationToken,
    newPassword: zSecret().min(1, "Choose a password").max(1024, "Too long"),
    confirmation: zSecret(),
  })
  .refine((input) => input.newPassword === input.confirmation, { path: ["confirmation"], message: "The two passwords differ" });
export type TAcceptInvitationInput = z.input<typeof ZAcceptInvitation>;
