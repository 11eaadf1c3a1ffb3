import { z } from "zod";
import { ZEmail, ZFullName, ZNewPassword, ZUsername } from "@/server/members/schemas";

export const ZTenantSlug = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "At least 2 characters")
  .max(63, "At most 63 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Lowercase letters, digits and inner dashes only");

export const ZTenantName = z.string().trim().min(1, "Enter the organisation's name").max(100, "At most 100 characters");

export const ZCreateFirstTenant = z
  .object({
    organisationName: ZTenantName,
    organisationSlug: ZTenantSlug,
    fullName: ZFullName,
    username: ZUsername,
    email: ZEmail,
    password: ZNewPassword,
    passwordConfirmation: z.string(),
  })
  .refine((input) => input.password === input.passwordConfirmation, {
    path: ["passwordConfirmation"],
    message: "The two passwords differ",
  });
export type TCreateFirstTenantInput = z.input<typeof ZCreateFirstTenant>;
