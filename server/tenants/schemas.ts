import { ZTenantSlug } from "@/server/validation/tenant-slug";
import { z } from "zod";
import { zLine, zSecret } from "@/server/validation/text";
import { ZCountry, ZEmail, ZFirstName, ZLastName, ZUsername } from "@/server/members/schemas";
import { ZNewPassword } from "@/server/validation/password";
import { normaliseMobile } from "@/server/validation/phone";

export const ZTenantName = zLine().min(1, "Enter the organisation's name").max(100, "At most 100 characters");

export const ZSetupCode = z.string().trim().min(1, "Enter the setup code from the server log").max(100, "Too long for a setup code");

export const ZCreateFirstTenant = z
  .object({
    setupCode: ZSetupCode,
    organisationName: ZTenantName,
    organisationSlug: ZTenantSlug,
    firstName: ZFirstName,
    lastName: ZLastName,
    username: ZUsername,
    email: ZEmail,
    mobile: zLine().min(1, "Enter a mobile number").max(24, "Too long for a phone number"),
    country: ZCountry,
    password: ZNewPassword,
    passwordConfirmation: zSecret(),
  })
  .refine((input) => input.password === input.passwordConfirmation, {
    path: ["passwordConfirmation"],
    message: "The two passwords differ",
  })
  .refine((input) => normaliseMobile(input.mobile, input.country) !== null, {
    path: ["mobile"],
    message: "Not a valid mobile number for that country",
  });
export type TCreateFirstTenantInput = z.input<typeof ZCreateFirstTenant>;
