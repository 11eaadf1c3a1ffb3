import { z } from "zod";
import { zLine, zOptionalLine, zSecret } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";
import { normaliseMobile } from "@/server/validation/phone";

// Field rules of the member record (specification: user-management), shared by
// forms and procedures. Pure: safe to import from client components.

export const ZUsername = zLine()
  .min(1, "Enter a username")
  .max(100, "At most 100 characters")
  // No "@": a sign-in name is then never mistaken for another member's email.
  .regex(/^[\p{L}\p{N}._-]+$/u, "Letters, digits, dot, dash and underscore only");

export const ZEmail = zLine().max(100, "At most 100 characters").pipe(z.email("Enter a valid email address"));

export const ZFullName = zLine().min(1, "Enter a name").max(100, "At most 100 characters");
export const ZFirstName = zLine().min(1, "Enter the first name").max(100, "At most 100 characters");
export const ZLastName = zLine().min(1, "Enter the last name").max(100, "At most 100 characters");

/** ISO 3166 alpha-2, the country whose numbering plan the mobile number follows. */
export const ZCountry = zLine()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "Choose a country (two-letter code)");

const optionalText = zOptionalLine;

export const GENDERS = ["female", "male", "other", "undisclosed"] as const;
export const ZGender = z.enum(GENDERS, { message: "Choose one of the listed values" });


// A landline as people write it: an optional leading "+", digits grouped by
// spaces, dashes, dots, slashes or brackets, and an optional extension
// ("ext. 12", "x12", "#12"). Not checked against a numbering plan (desk
// numbers are too varied), only that it is a number someone could dial.
const LANDLINE_FORMAT = /^\+?[\d\s().\/-]+(?:\s*(?:ext\.?|extension|x|#)\s*\d{1,6})?$/i;
const LANDLINE_MIN_DIGITS = 3;
const LANDLINE_MAX_DIGITS = 20;

/** An optional landline: digits, spaces, +, -, (), ., / and an extension; 3 to 20 digits before it. */
export const ZLandline = optionalText(40).superRefine((value, context) => {
  if (value === null || value === undefined) return;
  const number = value.replace(/\s*(?:ext\.?|extension|x|#)\s*\d{1,6}$/i, "");
  const digits = number.replace(/\D/g, "").length;
  if (!LANDLINE_FORMAT.test(value) || digits < LANDLINE_MIN_DIGITS || digits > LANDLINE_MAX_DIGITS) {
    context.addIssue({ code: "custom", message: "Enter a phone number: digits, spaces, +, -, ( ) and an extension such as “ext. 12”" });
  }
});

/** A mobile number as typed; checked against the country's numbering plan by the schema that has both. */
export const ZMobile = zLine().min(1, "Enter a mobile number").max(24, "Too long for a phone number");

const blankToNull = (value: unknown) => (typeof value === "string" && value.trim() === "" ? null : value);

/**
 * The contact fields. An account is created "by mobile or email" (specification:
 * member-lifecycle, Employee Onboarding): each may be left empty, not both
 * (checkContact; CHECK users_email_or_mobile in the database).
 */
const contactShape = {
  email: z.preprocess(blankToNull, ZEmail.nullish()),
  mobile: z.preprocess(blankToNull, ZMobile.nullish()),
  country: ZCountry,
  landline: ZLandline,
};

export const NO_EMAIL_NOR_MOBILE = "Enter an email address or a mobile number: the member needs one of them to be invited and to sign in";

function checkContact(input: { email?: string | null; mobile?: string | null; country: string }, context: z.RefinementCtx) {
  if (!input.email && !input.mobile) {
    for (const path of ["email", "mobile"]) context.addIssue({ code: "custom", path: [path], message: NO_EMAIL_NOR_MOBILE });
  }
  if (input.mobile && !normaliseMobile(input.mobile, input.country)) {
    context.addIssue({ code: "custom", path: ["mobile"], message: "Not a valid mobile number for that country" });
  }
}

/** The profile an admin edits (console) — the specification's writable fields. */
export const memberProfileShape = {
  firstName: ZFirstName,
  lastName: ZLastName,
  /** Empty: made from first and last name in the tenant's name order. */
  fullName: optionalText(100),
  username: ZUsername,
  ...contactShape,
  gender: ZGender.nullish(),
  title: optionalText(100),
  address: optionalText(200),
};

export const ZMemberCreate = z.strictObject({ ...memberProfileShape, role: z.enum(["member", "admin", "owner"]).default("member") }).superRefine(checkContact);
export type TMemberCreateInput = z.input<typeof ZMemberCreate>;

export const ZMemberUpdate = z
  .strictObject({
    memberId: ZEntityId("Unknown member"),
    /** The lastModifiedDate the edit started from: a newer one means someone else changed the member meanwhile. */
    expectedLastModifiedDate: z.coerce.date(),
    ...memberProfileShape,
    role: z.enum(["member", "admin", "owner"]),
  })
  .superRefine(checkContact);
export type TMemberUpdateInput = z.input<typeof ZMemberUpdate>;


export const MEMBER_SOURCES = ["console", "import", "ldap", "self_registration", "scim"] as const;
/** List filters by lifecycle state; "archived" is the separate Archived view, deleted members are in the recycle bin. */
export const MEMBER_STATUSES = ["active", "pending", "locked", "disabled", "resigned", "archived"] as const;
export const MEMBER_SORTS = ["name", "created", "lastOnline"] as const;

/** The member list's state, also the console URL's query (a filter can be bookmarked). */
export const ZMemberListInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  /** Opaque keyset cursor from the previous page. */
  cursor: zSecret().max(500).nullish(),
  /** One or two letters: the start of a name. Three or more: a fragment of name, username, email or mobile, or a near miss. */
  search: zLine().max(100).optional().transform((value) => (value ? value : undefined)),
  /** Includes every sub-department. */
  departmentId: ZEntityId("Unknown department").nullish(),
  status: z.enum(MEMBER_STATUSES).nullish(),
  role: z.enum(["member", "admin", "owner"]).nullish(),
  source: z.enum(MEMBER_SOURCES).nullish(),
  sort: z.enum(MEMBER_SORTS).default("name"),
  // Not "direction": tRPC's infinite queries add their own field of that name.
  order: z.enum(["asc", "desc"]).default("asc"),
});
export type TMemberListInput = z.input<typeof ZMemberListInput>;

