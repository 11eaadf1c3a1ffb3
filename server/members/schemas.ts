import { z } from "zod";

// Field rules of the member record (specification: user-management), shared by
// forms and procedures. Pure zod: safe to import from client components.

export const ZUsername = z
  .string()
  .trim()
  .min(1, "Enter a username")
  .max(100, "At most 100 characters")
  // No "@": a sign-in name is then never mistaken for another member's email.
  .regex(/^[\p{L}\p{N}._-]+$/u, "Letters, digits, dot, dash and underscore only");

export const ZEmail = z.string().trim().max(100, "At most 100 characters").pipe(z.email("Enter a valid email address"));

export const ZFullName = z.string().trim().min(1, "Enter a name").max(100, "At most 100 characters");

// NIST SP 800-63B-4: at least 15 characters when the password is the only factor,
// at least 64 allowed, any characters. (Breached-list checks arrive with sign-in security.)
export const PASSWORD_MIN_LENGTH = 15;
export const PASSWORD_MAX_LENGTH = 256;
export const ZNewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `At least ${PASSWORD_MIN_LENGTH} characters`)
  .max(PASSWORD_MAX_LENGTH, `At most ${PASSWORD_MAX_LENGTH} characters`);

export const ZMemberListInput = z.object({
  limit: z.number().int().min(1).max(200).default(50),
  /** Keyset cursor: the last id of the previous page. */
  cursor: z.string().regex(/^\d+$/).nullish(),
});
export type TMemberListInput = z.input<typeof ZMemberListInput>;
