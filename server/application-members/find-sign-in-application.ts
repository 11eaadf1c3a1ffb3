import type { TDatabaseOrTransaction } from "@/server/db/client";
import { NotFoundError } from "@/server/errors";

export type TSignInApplication = { id: bigint; name: string; clientId: string | null; firstParty: boolean };

/** The organisation's application (another organisation's id is not found), and its client id when sign-in is enabled. */
export async function findSignInApplication(db: TDatabaseOrTransaction, tenantId: bigint, applicationId: bigint): Promise<TSignInApplication> {
  const application = await db.application.findFirst({ where: { id: applicationId, tenantId }, select: { id: true, name: true, oidcClientId: true, firstParty: true } });
  if (!application) throw new NotFoundError("This application does not exist");
  return { id: application.id, name: application.name, clientId: application.oidcClientId, firstParty: application.firstParty };
}
