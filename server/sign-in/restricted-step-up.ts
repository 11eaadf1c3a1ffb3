import { db } from "@/server/db/client";
import type { TStepUpInput } from "@/server/auth/mfa/schemas";
import type { TRestrictedSessionActor } from "@/server/auth/restricted-session-services";
import { stepUpWithOwnPassword } from "@/server/sign-in/own-password";

// The forced MFA enrolment page's "Confirm it's you" (a server action: pages
// never hold the database), with the password checked where it lives.
export const stepUpOwnSession = (actor: TRestrictedSessionActor, values: TStepUpInput) => stepUpWithOwnPassword(db(), actor, values);
