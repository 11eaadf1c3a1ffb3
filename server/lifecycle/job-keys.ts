/** One scheduled job per member and time rule: a new schedule replaces the old one. */
export function memberJobKey(rule: "activate" | "lock" | "unlock" | "resign" | "hard-delete", memberId: bigint): string {
  return `member-${rule}:${memberId}`;
}
