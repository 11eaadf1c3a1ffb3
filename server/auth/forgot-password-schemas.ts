import { z } from "zod";
import { zLine, zSecret } from "@/server/validation/text";
import { ZTenantSlug } from "@/server/validation/tenant-slug";

// Forgot password: the request form and the reset page, shared by forms and
// procedures. Pure: safe for client components.

export const PASSWORD_RESET_LIFETIME_MINUTES = 30;

/** The one answer to every request, whether or not the account exists. */
export const PASSWORD_RESET_REQUESTED = "If the account exists, a link to choose a new password is on its way to its email address.";
export const PASSWORD_RESET_LINK_INVALID = "This password reset link is no longer valid";

export const ZForgotPassword = z.strictObject({
  organisation: zLine().min(1, "Enter your organisation").pipe(ZTenantSlug),
  login: zLine().min(1, "Enter your username or email").max(100, "At most 100 characters"),
});
export type TForgotPasswordInput = z.input<typeof ZForgotPassword>;

/** A reset link's token: 32 random bytes, base64url (43 characters). */
export const ZPasswordResetToken = zSecret().regex(/^[A-Za-z0-9_-]{43}$/, PASSWORD_RESET_LINK_INVALID);

/** Any string: a malformed token is simply not an open link (the same answer as a used one). */
export const ZPasswordResetLookup = z.strictObject({ token: zSecret().max(200) });

export const ZResetPassword = z
  .strictObject({
    token: ZPasswordResetToken,
    // The tenant's minimum and the other rules are checked by the service (server/auth/password-policy.ts).
    newPassword: zSecret().min(1, "Choose a new password").max(1024, "Too long"),
    confirmation: zSecret(),
  })
  .refine((input) => input.newPassword === input.confirmation, { path: ["confirmation"], message: "The two passwords differ" });
export type TResetPasswordInput = z.input<typeof ZResetPassword>;
