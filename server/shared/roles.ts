// The member record's `sysAdmin` level, as the specification names it.
export const SYSTEM_ROLE = { member: 0, admin: 1, owner: 2 } as const;
export type TSystemRole = keyof typeof SYSTEM_ROLE;

export function systemRoleName(level: number): TSystemRole {
  if (level >= SYSTEM_ROLE.owner) return "owner";
  if (level >= SYSTEM_ROLE.admin) return "admin";
  return "member";
}

export function isTenantAdmin(level: number): boolean {
  return level >= SYSTEM_ROLE.admin;
}
