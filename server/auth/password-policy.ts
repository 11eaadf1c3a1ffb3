import { isCommonPassword } from "@/server/auth/common-passwords";
import { verifyPassword } from "@/server/auth/password";
import { newPasswordSchema } from "@/server/validation/password";

// NIST SP 800-63B-4 password rules: a minimum length (the tenant's), no
// composition rules, and a refusal of passwords that are easy to guess: on the
// common/breached list, repetitive or sequential, or made of the member's own
// name, username or email; plus the tenant's reuse history.

export const PASSWORD_PROBLEM = {
  common: "This password is on a list of common or leaked passwords: choose another",
  repetitive: "Too repetitive or sequential (like aaaa… or 1234…): choose another",
  personal: "Do not build it from your name, username or email address",
  reused: "You used this password recently: choose one you have not used before",
} as const;

export type TPasswordRules = {
  minLength: number;
  /** The member's names, username and email: the password must not be made from them. */
  personal: readonly (string | null | undefined)[];
};

const normalise = (value: string) => value.normalize("NFKC").toLowerCase();

const isDigit = (point: number) => point >= 48 && point <= 57;

/** The step from one character to the next; digits wrap around ("…8901…" steps by one throughout). */
function stepBetween(previous: number, next: number): number {
  const step = next - previous;
  return isDigit(previous) && isDigit(next) ? ((step + 15) % 10) - 5 : step;
}

/** One character repeated, or a run that steps by one each time ("abcd…", "9876…", "7890123…"). */
function isRepetitiveOrSequential(password: string): boolean {
  const points = [...normalise(password)].map((character) => character.codePointAt(0)!);
  if (points.length < 2) return false;
  const step = stepBetween(points[0]!, points[1]!);
  return Math.abs(step) <= 1 && points.every((point, index) => index === 0 || stepBetween(points[index - 1]!, point) === step);
}

/**
 * The parts of the member's own details a guesser would try: whole values and
 * their words, of 4+ characters (shorter ones, "Ada", "Lee", hide inside too
 * many ordinary words to be refused wherever they appear).
 */
export function personalTokens(personal: TPasswordRules["personal"]): string[] {
  const tokens = new Set<string>();
  for (const value of personal) {
    if (!value) continue;
    const whole = normalise(value.includes("@") ? value.slice(0, value.indexOf("@")) : value).trim();
    if (whole.length >= 4) tokens.add(whole);
    for (const word of whole.split(/[^\p{L}\p{N}]+/u)) if (word.length >= 4) tokens.add(word);
  }
  return [...tokens];
}

/** The rules that need only the password and the member's details (also used at sign-in to spot weak passwords). */
export function passwordPolicyProblems(password: string, rules: TPasswordRules): string[] {
  const lengthCheck = newPasswordSchema(rules.minLength).safeParse(password);
  if (!lengthCheck.success) return lengthCheck.error.issues.map((issue) => issue.message);
  const problems: string[] = [];
  if (isRepetitiveOrSequential(password)) problems.push(PASSWORD_PROBLEM.repetitive);
  else if (isCommonPassword(password)) problems.push(PASSWORD_PROBLEM.common);
  const candidate = normalise(password);
  if (personalTokens(rules.personal).some((token) => candidate.includes(token))) problems.push(PASSWORD_PROBLEM.personal);
  return problems;
}

/**
 * Every rule, for a new password: the messages to show under the field (empty
 * when it is acceptable). `previousHashes` are the current hash and the
 * history the tenant keeps; each costs one argon2id verification.
 */
export async function checkPasswordStrength(
  password: string,
  rules: TPasswordRules & { previousHashes?: readonly string[] },
): Promise<string[]> {
  const problems = passwordPolicyProblems(password, rules);
  if (problems.length > 0) return problems;
  for (const previous of rules.previousHashes ?? []) {
    if (await verifyPassword(previous, password)) return [PASSWORD_PROBLEM.reused];
  }
  return [];
}
