import { z } from "zod";
import { PASSWORD_MIN_LENGTH, PASSWORD_MIN_LENGTH_WITH_MFA } from "@/server/validation/password";

// The tenant security policy (Console → Settings → Security): one schema for the
// form and the procedure. The caps are NIST SP 800-63B-4's (AAL2 re-authentication
// after at most 1 h idle and 24 h in all; at most 100 consecutive failures; 15
// characters for a password that is the only factor, 8 with MFA). The database
// holds the same caps as CHECK constraints. Pure: safe for client components.

export const MFA_REQUIREMENTS = ["none", "admins", "everyone"] as const;
export type TMfaRequirement = (typeof MFA_REQUIREMENTS)[number];
export const ABNORMAL_LOGIN_ACTIONS = ["record", "lock"] as const;
export type TAbnormalLoginAction = (typeof ABNORMAL_LOGIN_ACTIONS)[number];

export const POLICY_LIMITS = {
  idleTimeoutMinutes: { min: 1, max: 60 },
  absoluteLifetimeHours: { min: 1, max: 24 },
  lockoutThreshold: { min: 1, max: 100 },
  lockoutWindowMinutes: { min: 1, max: 1440 },
  lockoutDurationMinutes: { min: 1, max: 1440 },
  lockoutGrowthFactor: { min: 1, max: 10 },
  lockoutMaxDurationMinutes: { min: 1, max: 10_080 },
  passwordMinLength: { min: PASSWORD_MIN_LENGTH_WITH_MFA, max: 64 },
  passwordHistoryCount: { min: 0, max: 24 },
  passwordExpiryDays: { min: 1, max: 3650 },
} as const;

export type TSecurityPolicy = {
  idleTimeoutMinutes: number;
  absoluteLifetimeHours: number;
  lockoutThreshold: number;
  lockoutWindowMinutes: number;
  lockoutDurationMinutes: number;
  lockoutGrowthFactor: number;
  lockoutMaxDurationMinutes: number;
  mfaRequirement: TMfaRequirement;
  passwordMinLength: number;
  passwordHistoryCount: number;
  passwordExpiryDays: number | null;
  abnormalLoginAction: TAbnormalLoginAction;
};

/** What applies until an admin saves a policy (the SQL column defaults say the same). */
export const DEFAULT_SECURITY_POLICY: TSecurityPolicy = {
  idleTimeoutMinutes: 30,
  absoluteLifetimeHours: 12,
  lockoutThreshold: 10,
  lockoutWindowMinutes: 15,
  lockoutDurationMinutes: 15,
  lockoutGrowthFactor: 2,
  lockoutMaxDurationMinutes: 1440,
  mfaRequirement: "none",
  passwordMinLength: PASSWORD_MIN_LENGTH,
  passwordHistoryCount: 5,
  passwordExpiryDays: null,
  abnormalLoginAction: "record",
};

const whole = (field: keyof typeof POLICY_LIMITS, unit: string) => {
  const { min, max } = POLICY_LIMITS[field];
  return z
    .number({ message: `Enter a whole number of ${unit}` })
    .int(`Enter a whole number of ${unit}`)
    .min(min, `At least ${min} ${unit}`)
    .max(max, `At most ${max} ${unit}`);
};

export const ZSecurityPolicy = z
  .strictObject({
    idleTimeoutMinutes: whole("idleTimeoutMinutes", "minutes"),
    absoluteLifetimeHours: whole("absoluteLifetimeHours", "hours"),
    lockoutThreshold: whole("lockoutThreshold", "attempts"),
    lockoutWindowMinutes: whole("lockoutWindowMinutes", "minutes"),
    lockoutDurationMinutes: whole("lockoutDurationMinutes", "minutes"),
    lockoutGrowthFactor: whole("lockoutGrowthFactor", "times"),
    lockoutMaxDurationMinutes: whole("lockoutMaxDurationMinutes", "minutes"),
    mfaRequirement: z.enum(MFA_REQUIREMENTS, { message: "Choose one of the listed values" }),
    passwordMinLength: whole("passwordMinLength", "characters"),
    passwordHistoryCount: whole("passwordHistoryCount", "passwords"),
    passwordExpiryDays: whole("passwordExpiryDays", "days").nullable(),
    abnormalLoginAction: z.enum(ABNORMAL_LOGIN_ACTIONS, { message: "Choose one of the listed values" }),
  })
  // Zod runs these even when a field above failed: each checks its own inputs are numbers first.
  .refine(
    (policy) =>
      typeof policy.passwordMinLength !== "number" || policy.passwordMinLength >= PASSWORD_MIN_LENGTH || policy.mfaRequirement === "everyone",
    {
      path: ["passwordMinLength"],
      message: `At least ${PASSWORD_MIN_LENGTH} characters unless everyone must use MFA (then at least ${PASSWORD_MIN_LENGTH_WITH_MFA})`,
    },
  )
  .refine(
    (policy) =>
      typeof policy.lockoutMaxDurationMinutes !== "number" ||
      typeof policy.lockoutDurationMinutes !== "number" ||
      policy.lockoutMaxDurationMinutes >= policy.lockoutDurationMinutes,
    { path: ["lockoutMaxDurationMinutes"], message: "At least the first lockout's duration" },
  );
export type TSecurityPolicyInput = z.input<typeof ZSecurityPolicy>;
