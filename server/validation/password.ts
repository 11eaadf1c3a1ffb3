import { zSecret } from "@/server/validation/text";

// NIST SP 800-63B-4: at least 15 characters when the password is the only factor
// (8 when the tenant requires MFA of everyone: its security policy sets the
// minimum), at least 64 allowed, any characters; each Unicode code point counts
// once, after NFKC normalisation (as it is hashed). The common-password, personal
// information and reuse checks need the server: server/auth/password-policy.ts.
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MIN_LENGTH_WITH_MFA = 8;
export const PASSWORD_MAX_LENGTH = 256;

/** A password's length as NIST counts it. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

/** A new password of at least `minLength` characters (the tenant policy's minimum). */
export const newPasswordSchema = (minLength: number) =>
  zSecret().superRefine((password, context) => {
    // Bounded before normalising, so a huge input costs nothing.
    const length = password.length > PASSWORD_MAX_LENGTH * 4 ? Infinity : passwordLength(password);
    if (length < minLength) context.addIssue({ code: "custom", message: `At least ${minLength} characters` });
    if (length > PASSWORD_MAX_LENGTH) context.addIssue({ code: "custom", message: `At most ${PASSWORD_MAX_LENGTH} characters` });
  });
export const ZNewPassword = newPasswordSchema(PASSWORD_MIN_LENGTH);
