import type { TApiTokenCaller } from "@/server/api-tokens/authenticate-api-token";
import { SYSTEM_ROLE } from "@/server/shared/roles";

// A SCIM client acts with an admin's authority, never an owner's: it
// provisions and deprovisions members and admins but never touches an owner
// (only an owner acts on an owner), and grants no roles. No session, so no
// step-up: the token itself was made by an owner after one.

export type TScimCaller = TApiTokenCaller & { baseUrl: string };

export const scimServiceActor = (caller: TApiTokenCaller) => ({ ...caller.actor, sysAdmin: SYSTEM_ROLE.admin, sessionId: null });
