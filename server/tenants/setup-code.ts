import { createHash, randomInt, timingSafeEqual } from "node:crypto";
import type { TDatabase, TDatabaseOrTransaction } from "@/server/db/client";
import { ValidationError } from "@/server/errors";

// First-run setup is claimed with a one-time code printed in the server log,
// so that reaching an empty installation first is not enough to own it: one
// must also read the log (or have set SETUP_CODE). Only its SHA-256 is stored
// (the code is 80 random bits, so no slow hash is needed); wrong codes are
// throttled per window, for everyone at once (there is no account yet).

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"; // 32 symbols, none that look alike
const GROUPS = 4;
const GROUP_LENGTH = 4;
export const SETUP_CODE_LIMIT = { attempts: 5, windowMinutes: 15 } as const;
export const WRONG_SETUP_CODE = "That is not the setup code: copy it from the server log (the line “Setup code: …”)";

export function newSetupCode(): string {
  const symbols = Array.from({ length: GROUPS * GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return Array.from({ length: GROUPS }, (_, group) => symbols.slice(group * GROUP_LENGTH, (group + 1) * GROUP_LENGTH).join("")).join("-");
}

/** Case, spaces and dashes do not matter when typing it. */
export const normaliseSetupCode = (code: string) => code.normalize("NFKC").replace(/[\s-]+/g, "").toUpperCase();

const setupCodeHash = (code: string) => createHash("sha256").update(normaliseSetupCode(code)).digest("hex");

/**
 * At server start while no organisation exists: store (the hash of) a fresh
 * code, or of the operator's SETUP_CODE, and return it to be logged. A new
 * start replaces the code and clears the wrong-code count. Null once set up.
 */
export async function issueSetupCode(db: TDatabase, operatorCode?: string): Promise<{ code: string; fromOperator: boolean } | null> {
  if (await db.tenant.findFirst({ select: { id: true } })) {
    await db.setupCode.deleteMany({});
    return null;
  }
  const code = operatorCode ?? newSetupCode();
  const values = { codeHash: setupCodeHash(code), failedAttempts: 0, failuresSince: null, createdAt: new Date() };
  await db.setupCode.upsert({ where: { id: 1 }, create: { id: 1, ...values }, update: values });
  return { code, fromOperator: operatorCode !== undefined };
}

/**
 * Checks a typed code in its own transaction (so a wrong one is counted even
 * though the setup it guards is refused): constant-time comparison, at most
 * SETUP_CODE_LIMIT wrong codes per window, after which even the right code
 * waits for the window to end.
 */
export async function verifySetupCode(db: TDatabase, typed: string, now = new Date()): Promise<void> {
  const outcome = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ code_hash: string; failed_attempts: number; failures_since: Date | null }[]>`
      SELECT code_hash, failed_attempts, failures_since FROM setup_codes WHERE id = 1 FOR UPDATE`;
    if (!row) return "none" as const;
    const windowStart = new Date(now.getTime() - SETUP_CODE_LIMIT.windowMinutes * 60_000);
    const windowOpen = row.failures_since !== null && row.failures_since > windowStart;
    if (windowOpen && row.failed_attempts >= SETUP_CODE_LIMIT.attempts) return "limited" as const;
    const expected = Buffer.from(row.code_hash, "hex");
    const actual = Buffer.from(setupCodeHash(typed), "hex");
    if (expected.length === actual.length && timingSafeEqual(expected, actual)) return "right" as const;
    await tx.setupCode.update({
      where: { id: 1 },
      data: windowOpen ? { failedAttempts: { increment: 1 } } : { failedAttempts: 1, failuresSince: now },
    });
    return "wrong" as const;
  });
  if (outcome === "right") return;
  const message =
    outcome === "none"
      ? "No setup code has been issued: restart the server and read the code from its log"
      : outcome === "limited"
        ? `Too many wrong setup codes: try again in ${SETUP_CODE_LIMIT.windowMinutes} minutes, or restart the server for a new code`
        : WRONG_SETUP_CODE;
  throw new ValidationError(message, { setupCode: [message] });
}

/** Inside the setup transaction: the code is used up with the organisation's creation. */
export async function consumeSetupCode(tx: TDatabaseOrTransaction): Promise<void> {
  await tx.setupCode.deleteMany({});
}
