import { z } from "zod";
import { ZTenantSlug } from "@/server/tenants/schemas";

export const ZSignIn = z.object({
  organisation: z.string().trim().min(1, "Enter your organisation").pipe(ZTenantSlug),
  login: z.string().trim().min(1, "Enter your username or email").max(100, "At most 100 characters"),
  password: z.string().min(1, "Enter your password").max(1024, "Too long"),
});
export type TSignInInput = z.input<typeof ZSignIn>;

/** What authorize() reports to the sign-in form; the form words it. */
export const SIGN_IN_ERROR = { invalidCredentials: "invalid_credentials", accountBlocked: "account_blocked" } as const;
