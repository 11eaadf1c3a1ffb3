import type { TSignedOutReason } from "@/server/auth/sessions";

// Pure (no server-only imports): the sign-in page shows these for `?reason=…`, and a tRPC call refused for the
// same reason says the same words, so a member acting on a page already open learns what the sign-in page tells them.

export type TSignInNotice = { tone: "info" | "success"; text: string };

/** Why this browser's session ended, in the sign-in page's words. */
const SESSION_END_NOTICES = {
  idle: { tone: "info", text: "You were signed out after inactivity. Sign in again to continue." },
  expired: { tone: "info", text: "Your session ended. Sign in again to continue." },
  revoked: { tone: "info", text: "Your session was ended. Sign in again to continue." },
  account_blocked: { tone: "info", text: "This account can no longer sign in. Contact your administrator." },
  password_changed: { tone: "info", text: "Your password was changed, which ended this session. Sign in with the new password." },
  signed_out: { tone: "success", text: "You are signed out." },
} as const satisfies Record<string, TSignInNotice>;

/** Every notice the sign-in page shows for `?reason=…`. */
export const SIGN_IN_NOTICES: Record<string, TSignInNotice> = {
  ...SESSION_END_NOTICES,
  "signed-out": SESSION_END_NOTICES.signed_out,
  invitation_accepted: { tone: "success", text: "Your password is set. Sign in to continue." },
  password_reset: { tone: "success", text: "Your new password is set and every session was signed out. Sign in with it." },
  reported_not_me: {
    tone: "info",
    text: "Thank you. Your account is locked and every session was ended; your administrators were alerted. Ask them to unlock it, then change your password.",
  },
};

export const SIGN_IN_FIRST = "Sign in first";

/** The sign-in page's notice for a `?reason=` value, or undefined for none / an unknown one. */
export function signInNotice(reason: string | undefined): TSignInNotice | undefined {
  return reason && Object.hasOwn(SIGN_IN_NOTICES, reason) ? SIGN_IN_NOTICES[reason] : undefined;
}

/** What a refused call tells a browser whose session ended: the sign-in page's words for that reason. */
export function signedOutMessage(reason: TSignedOutReason | null): string {
  if (reason === "password_change_required") return "Change your password to continue.";
  if (reason === "mfa_enrolment_required") return "Set up two-step verification to continue.";
  if (reason === null || reason === "unknown") return SIGN_IN_FIRST;
  return SESSION_END_NOTICES[reason].text;
}
