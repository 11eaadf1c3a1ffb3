// LDAP search filters (RFC 4515) built from values that come from elsewhere
// (a stored change mark, a username to link): every value is escaped, so a
// value can never widen or close the filter it sits in.

/** Escapes a value for an assertion: `*`, `(`, `)`, `\` and NUL become \2a, \28, \29, \5c, \00. */
export function escapeFilterValue(value: string): string {
  return value.replace(/[*()\\\u0000]/g, (char) => `\\${char.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** `(attribute>=value)`, escaped. */
export function atLeast(attribute: string, value: string): string {
  return `(${attribute}>=${escapeFilterValue(value)})`;
}

/** `(attribute=value)`, escaped. */
export function equals(attribute: string, value: string): string {
  return `(${attribute}=${escapeFilterValue(value)})`;
}

/** Both filters must match; a filter without its outer parentheses gets them. */
export function allOf(...filters: string[]): string {
  const wrapped = filters.map((filter) => (filter.startsWith("(") ? filter : `(${filter})`));
  return wrapped.length === 1 ? wrapped[0]! : `(&${wrapped.join("")})`;
}
