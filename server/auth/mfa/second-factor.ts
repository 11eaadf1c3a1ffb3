import type { TTransaction } from "@/server/db/client";
import { newRecoveryCodes, normaliseRecoveryCode, recoveryCodeHash } from "@/server/auth/mfa/recovery-codes";
import { openTotpSecret } from "@/server/shared/secret-box";
import { matchTotpStep, normaliseTotpCode } from "@/server/auth/mfa/totp";

export type TSecondFactor = "totp" | "recovery_code";

/**
 * Checks a code of a member with MFA on and spends it, inside the caller's
 * transaction: a TOTP code must be of a later step than the last accepted one
 * (the row is locked, so two requests with one code cannot both pass), a
 * recovery code must be unused and is marked used. Returns which factor
 * matched, or null (nothing changed).
 */
export async function consumeSecondFactor(tx: TTransaction, userId: bigint, code: string, now: Date): Promise<TSecondFactor | null> {
  const [row] = await tx.$queryRaw<{ secret_encrypted: string; last_used_step: bigint | null }[]>`
    SELECT secret_encrypted, last_used_step FROM member_mfa WHERE user_id = ${userId} AND enabled_at IS NOT NULL FOR UPDATE`;
  if (!row) return null;
  if (normaliseTotpCode(code)) {
    const step = matchTotpStep(openTotpSecret(row.secret_encrypted, userId), code, now, row.last_used_step);
    if (step === null) return null;
    await tx.$executeRaw`UPDATE member_mfa SET last_used_step = ${step} WHERE user_id = ${userId}`;
    return "totp";
  }
  if (!normaliseRecoveryCode(code)) return null;
  const spent = await tx.$executeRaw`
    UPDATE mfa_recovery_codes SET used_at = ${now} WHERE user_id = ${userId} AND code_hash = ${recoveryCodeHash(code)} AND used_at IS NULL`;
  return spent === 1 ? "recovery_code" : null;
}

/** A fresh set of recovery codes replaces every earlier one; the codes are returned once, only their hashes stay. */
export async function replaceRecoveryCodes(tx: TTransaction, userId: bigint): Promise<string[]> {
  const codes = newRecoveryCodes();
  await tx.mfaRecoveryCode.deleteMany({ where: { userId } });
  await tx.mfaRecoveryCode.createMany({ data: codes.map((code) => ({ userId, codeHash: recoveryCodeHash(code) })) });
  return codes;
}
