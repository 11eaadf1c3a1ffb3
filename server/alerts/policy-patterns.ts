// Which permissions a sensitive-grant rule watches: "resource:action"
// patterns, `*` standing for anything on either side ("*:*", "members:*",
// "*:delete"). Policies may carry `*` too ("members:*" grants members:delete):
// a pattern matches a policy when some permission satisfies both, so watching
// "members:delete" catches the grant of "members:*". Pure.

const globMatches = (glob: string, text: string) =>
  new RegExp(`^${glob.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\-]/g, "\\$&")).join(".*")}$`).test(text);

function sidesOverlap(pattern: string, permission: string): boolean {
  return pattern === "*" || permission === "*" || pattern === permission || globMatches(pattern, permission) || globMatches(permission, pattern);
}

export function permissionMatchesPattern(permission: string, pattern: string): boolean {
  const [patternResource = "", patternAction = ""] = pattern.toLowerCase().split(":");
  const [resource = "", action = ""] = permission.toLowerCase().split(":");
  return sidesOverlap(patternResource, resource) && sidesOverlap(patternAction, action);
}

/** The permissions (of those given) that any of the patterns watches. */
export function watchedPermissions(permissions: readonly string[], patterns: readonly string[]): string[] {
  return permissions.filter((permission) => patterns.some((pattern) => permissionMatchesPattern(permission, pattern)));
}
