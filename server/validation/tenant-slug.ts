import { zLine } from "@/server/validation/text";

/** An organisation's sign-in name: what members type on the sign-in page. */
export const ZTenantSlug = zLine()
  .toLowerCase()
  .min(2, "At least 2 characters")
  .max(63, "At most 63 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Lowercase letters, digits and inner dashes only");

