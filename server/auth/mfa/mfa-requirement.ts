import { isTenantAdmin } from "@/server/shared/roles";
import type { TMfaRequirement } from "@/server/auth/security-policy-schemas";

/** Whether the tenant's policy makes this member use a second factor (admins and owners, or everyone). */
export function mfaRequiredFor(requirement: TMfaRequirement, sysAdmin: number): boolean {
  if (requirement === "everyone") return true;
  return requirement === "admins" && isTenantAdmin(sysAdmin);
}
