/** The one rule for "this member may be signed in"; lifecycle states extend it. */
export function canSignIn(member: { enabled: boolean; locked: boolean }): boolean {
  return member.enabled && !member.locked;
}
