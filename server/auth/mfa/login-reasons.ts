import type { TLoginReason } from "@/server/auth/login-attempts";

// TEMPORARY until LOGIN_REASON (server/auth/login-attempts.ts) gains wrongMfaCode.
export const WRONG_MFA_CODE = "wrong_mfa_code" as TLoginReason;
