import { z } from "zod";
import { zLine } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";
import { memberProfileShape, ZMobile } from "@/server/members/schemas";
import { normaliseMobile } from "@/server/validation/phone";

// Self-service (/me): which own fields a member may edit (a tenant setting),
// the edit itself with the console's own field rules, and the member's own
// sessions and sign-in history. Pure: safe for client components.

/** Fields an organisation may let members edit themselves; "mobile" comes with its country. */
export const SELF_EDITABLE_FIELDS = ["mobile", "landline", "address", "avatarUrl", "gender", "title"] as const;
export type TSelfEditableField = (typeof SELF_EDITABLE_FIELDS)[number];
export const DEFAULT_SELF_EDITABLE_FIELDS: readonly TSelfEditableField[] = ["mobile", "landline", "address"];

export const SELF_EDITABLE_FIELD_LABELS: Record<TSelfEditableField, string> = {
  mobile: "Mobile number (and its country)",
  landline: "Landline",
  address: "Address",
  avatarUrl: "Avatar (picture URL)",
  gender: "Gender",
  title: "Job title",
};

export const ZSelfServiceSettings = z.strictObject({
  editableFields: z.array(z.enum(SELF_EDITABLE_FIELDS, { message: "Choose from the listed fields" })).max(SELF_EDITABLE_FIELDS.length),
});
export type TSelfServiceSettingsInput = z.input<typeof ZSelfServiceSettings>;

/** A picture's address: https only (a page must never load a plain-http or script URL), empty clears it. */
export const ZAvatarUrl = zLine()
  .max(500, "At most 500 characters")
  .transform((value) => (value === "" ? null : value))
  .pipe(z.url({ protocol: /^https$/, message: "Enter an https:// address of a picture" }).nullable())
  .nullish();

/**
 * The member's own edit: only the fields sent are changed, each with the
 * console's rule (server/members/schemas.ts memberProfileShape); which ones
 * the organisation allows is the service's check.
 */
export const ZOwnProfileUpdate = z
  .strictObject({
    /** The lastModifiedDate the edit started from: a newer one means someone changed the record meanwhile. */
    expectedLastModifiedDate: z.coerce.date(),
    mobile: ZMobile.optional(),
    country: memberProfileShape.country.optional(),
    landline: memberProfileShape.landline,
    address: memberProfileShape.address,
    title: memberProfileShape.title,
    gender: memberProfileShape.gender,
    avatarUrl: ZAvatarUrl,
  })
  .superRefine((input, context) => {
    if (input.mobile === undefined && input.country === undefined) return;
    if (typeof input.mobile !== "string" || typeof input.country !== "string") {
      context.addIssue({ code: "custom", path: ["mobile"], message: "Enter the mobile number with its country" });
    } else if (!normaliseMobile(input.mobile, input.country)) {
      context.addIssue({ code: "custom", path: ["mobile"], message: "Not a valid mobile number for that country" });
    }
  });
export type TOwnProfileUpdateInput = z.input<typeof ZOwnProfileUpdate>;

// Plain objects: infinite queries add fields of their own (direction), which are dropped.
export const ZMySessionsInput = z.object({
  limit: z.number().int().min(1).max(100).default(20),
  cursor: z.uuid("Invalid cursor").nullish(),
});

export const ZMySession = z.strictObject({ sessionId: z.uuid("Unknown session") });

/** "This wasn't me" on one attempt of the member's own sign-in history. */
export const ZReportNotMe = z.strictObject({ attemptId: ZEntityId("Unknown sign-in attempt") });
