import { db } from "@/server/db/client";
import { changePassword } from "@/server/auth/change-password";
import { confirmMfaEnrolment, startMfaEnrolment } from "@/server/auth/mfa/enrol-mfa";
import { getMfaStatus } from "@/server/auth/mfa/manage-mfa";
import type { TConfirmMfaInput } from "@/server/auth/mfa/schemas";
import type { TChangePasswordInput } from "@/server/auth/schemas";
import { getSecurityPolicy } from "@/server/auth/security-policy";
import type { TMfaActor } from "@/server/auth/mfa/enrol-mfa";

// The services behind the two pages a restricted session may open (a forced
// password change, a forced MFA enrolment). Those pages use server actions
// rather than the API (which refuses such sessions everywhere), so these hold
// the database access that pages never do themselves (app/ never imports server/db).

export type TRestrictedSessionActor = TMfaActor;

export const passwordRulesOf = (tenantId: bigint) => getSecurityPolicy(db(), tenantId);
export const changeOwnPassword = (actor: TRestrictedSessionActor, values: TChangePasswordInput) => changePassword(db(), actor, values);
export const mfaStatusOf = (tenantId: bigint, memberId: bigint) => getMfaStatus(db(), tenantId, memberId);
export const startOwnMfaEnrolment = (actor: TRestrictedSessionActor) => startMfaEnrolment(db(), actor);
export const confirmOwnMfaEnrolment = (actor: TRestrictedSessionActor, values: TConfirmMfaInput) => confirmMfaEnrolment(db(), actor, values);
