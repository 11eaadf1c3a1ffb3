import type { TDatabase } from "@/server/db/client";
import { canSignIn } from "@/server/auth/can-sign-in";
import { verifyAgainstDecoy, verifyPassword } from "@/server/auth/password";
import { ZSignIn, SIGN_IN_ERROR, type TSignInInput } from "@/server/auth/schemas";
import { createSession, type TClientInfo } from "@/server/auth/sessions";
import { ForbiddenError, UnauthorizedError } from "@/server/errors";

const invalidCredentials = () => new UnauthorizedError(SIGN_IN_ERROR.invalidCredentials);

/**
 * Checks organisation + username-or-email + password and opens a session.
 * Unknown organisations and accounts cost the same hashing as a wrong password.
 */
export async function signInWithPassword(db: TDatabase, rawInput: TSignInInput, client: TClientInfo): Promise<{ sessionId: string }> {
  const parsed = ZSignIn.safeParse(rawInput);
  if (!parsed.success) throw invalidCredentials();
  const { organisation, login, password } = parsed.data;

  const member = await db.user.findFirst({
    where: { tenant: { slug: organisation }, OR: [{ username: login }, { email: login }] },
    select: { id: true, tenantId: true, passwordHash: true, enabled: true, locked: true },
  });
  if (!member?.passwordHash) {
    await verifyAgainstDecoy(password);
    throw invalidCredentials();
  }
  if (!(await verifyPassword(member.passwordHash, password))) throw invalidCredentials();
  if (!canSignIn(member)) throw new ForbiddenError(SIGN_IN_ERROR.accountBlocked);

  const now = new Date();
  const sessionId = await db.$transaction(async (tx) => {
    const id = await createSession(tx, { tenantId: member.tenantId, userId: member.id, ...client }, now);
    await tx.user.update({ where: { id: member.id }, data: { online: true, onlineAt: now } });
    return id;
  });
  return { sessionId };
}
