import { randomBytes } from "node:crypto";
import type { TTransaction } from "@/server/db/client";
import { clientSecretHint, hashClientSecret, newClientSecret } from "@/server/oidc/client-secret-hash";

// A client id is random and url-safe (it appears in authorisation URLs), and
// unique across the installation (the column's unique index); 128 bits make a
// collision a matter of theory, which the index would still refuse.
export function newClientId(): string {
  return `tnr_${randomBytes(16).toString("base64url")}`;
}

/**
 * A new current secret for the application: its hash and hint are stored, the
 * secret itself is returned for the one screen that shows it, and never again.
 */
export async function issueClientSecret(tx: TTransaction, tenantId: bigint, applicationId: bigint, createdBy: bigint | null): Promise<{ secret: string; hint: string; id: bigint }> {
  const secret = newClientSecret();
  const hint = clientSecretHint(secret);
  const row = await tx.applicationClientSecret.create({
    data: { tenantId, applicationId, secretHash: hashClientSecret(secret), hint, createdBy },
    select: { id: true },
  });
  return { secret, hint, id: row.id };
}
