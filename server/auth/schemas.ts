import { z } from "zod";
import { zLine, zSecret } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";
import { ZTenantSlug } from "@/server/validation/tenant-slug";

export const ZSignIn = z.object({
  organisation: zLine().min(1, "Enter your organisation").pipe(ZTenantSlug),
  login: zLine().min(1, "Enter your username, email or mobile number").max(100, "At most 100 characters"),
  password: zSecret().min(1, "Enter your password").max(1024, "Too long"),
});
export type TSignInInput = z.input<typeof ZSignIn>;

/**
 * What authorize() reports to the sign-in form, which words it. Some carry a
 * detail after a colon: "account_locked:<ISO time>", "rate_limited:<minutes>".
 */
export const SIGN_IN_ERROR = {
  invalidCredentials: "invalid_credentials",
  accountBlocked: "account_blocked",
  accountLocked: "account_locked",
  rateLimited: "rate_limited",
  abnormalBlocked: "abnormal_blocked",
  /** The member signs in by LDAP bind and their directory did not answer: nothing was checked. */
  directoryUnreachable: "directory_unreachable",
  /** Something unplanned failed; the detail is the error id in the server log. */
  unavailable: "unavailable",
} as const;
export type TSignInErrorCode = (typeof SIGN_IN_ERROR)[keyof typeof SIGN_IN_ERROR];

export function signInErrorMessage(code: TSignInErrorCode, detail?: string | number): string {
  return detail === undefined ? code : `${code}:${detail}`;
}

export function parseSignInError(message: string | null | undefined): { code: string; detail: string | null } {
  const separator = message?.indexOf(":") ?? -1;
  if (!message || separator < 0) return { code: message ?? "", detail: null };
  return { code: message.slice(0, separator), detail: message.slice(separator + 1) };
}

/** The change of password a member makes (forced at sign-in, or from self-service). */
export const ZChangePassword = z
  .object({
    currentPassword: zSecret().min(1, "Enter your current password").max(1024, "Too long"),
    // The tenant's minimum and the other rules are checked by the service (server/auth/change-password.ts).
    newPassword: zSecret().min(1, "Enter a new password").max(1024, "Too long"),
    confirmation: zSecret(),
  })
  .refine((input) => input.newPassword === input.confirmation, { path: ["confirmation"], message: "The two passwords differ" });
export type TChangePasswordInput = z.input<typeof ZChangePassword>;

// Plain objects: infinite queries add fields of their own (direction), which are dropped.
export const ZMemberSessionsInput = z.object({
  memberId: ZEntityId("Unknown member"),
  limit: z.number().int().min(1).max(100).default(20),
  /** Keyset cursor: the id of the last session of the previous page (newest first). */
  cursor: z.uuid("Invalid cursor").nullish(),
});

export const ZLoginHistoryInput = z.object({
  memberId: ZEntityId("Unknown member"),
  limit: z.number().int().min(1).max(100).default(20),
  /** Keyset cursor: the id of the last attempt of the previous page (newest first). */
  cursor: ZEntityId("Invalid cursor").nullish(),
});

export const ZMyLoginHistoryInput = ZLoginHistoryInput.omit({ memberId: true });

export const ZRevokeMemberSession = z.strictObject({ memberId: ZEntityId("Unknown member"), sessionId: z.uuid("Unknown session") });
export const ZRevokeMemberSessions = z.strictObject({ memberId: ZEntityId("Unknown member") });
export const ZSignInThrottleInput = z.strictObject({ memberId: ZEntityId("Unknown member") });
