// RFC 4515 search filters: a pure check of a filter an admin typed (the
// settings form runs it too: ldapts's own parser lives beside its socket code
// and cannot be bundled for the browser; the services also hand the filter to
// ldapts, so the two agree or the save fails), and filters built from values
// that come from elsewhere (a stored change mark, a username to link), every
// value escaped, so a value can never widen or close the filter it sits in.

// Attribute options (cn;lang-en) are valid LDAP, but ldapts cannot read them in a filter: refused here too, so form and server agree.
const ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/;
const MATCHING_RULE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)$/;
const MAX_DEPTH = 32;

/** A value as written in a filter: `\hh` escapes only, never a bare parenthesis or NUL. */
function validValue(value: string, allowStar: boolean): boolean {
  for (let index = 0; index < value.length; index += 1) {
    const char = value[index]!;
    if (char === "(" || char === ")" || char === "\u0000") return false;
    if (char === "*" && !allowStar) return false;
    if (char === "\\") {
      if (!/^[0-9a-fA-F]{2}$/.test(value.slice(index + 1, index + 3))) return false;
      index += 2;
    }
  }
  return true;
}

function validItem(item: string): boolean {
  const extensible = /^([^:=<>~()]*)((?::dn)?)((?::[^:=]+)?):=(.*)$/i.exec(item);
  if (extensible) {
    const [, attribute = "", dn = "", rule = "", value = ""] = extensible;
    if (attribute === "" && rule === "") return false;
    if (attribute !== "" && !ATTRIBUTE.test(attribute)) return false;
    if (rule !== "" && !MATCHING_RULE.test(rule.slice(1))) return false;
    return dn !== undefined && validValue(value, false);
  }
  const simple = /^([^=<>~()]+?)(<=|>=|~=|=)(.*)$/.exec(item);
  if (!simple) return false;
  const [, attribute = "", operator, value = ""] = simple;
  if (!ATTRIBUTE.test(attribute)) return false;
  // Presence (attr=*) and substrings (attr=a*b*c) only with '='.
  return validValue(value, operator === "=");
}

/** Parses one filter from `start` (an opening parenthesis); the index after its closing one, or -1. */
function parseFilter(text: string, start: number, depth: number): number {
  if (depth > MAX_DEPTH || text[start] !== "(") return -1;
  const kind = text[start + 1];
  if (kind === "&" || kind === "|" || kind === "!") {
    let index = start + 2;
    let count = 0;
    while (text[index] === "(") {
      index = parseFilter(text, index, depth + 1);
      if (index < 0) return -1;
      count += 1;
    }
    if (text[index] !== ")" || count === 0 || (kind === "!" && count !== 1)) return -1;
    return index + 1;
  }
  const end = text.indexOf(")", start + 1);
  if (end < 0) return -1;
  const item = text.slice(start + 1, end);
  return item.includes("(") || !validItem(item) ? -1 : end + 1;
}

/** True when `filter` is one complete RFC 4515 filter, such as (&(objectClass=inetOrgPerson)(!(uid=svc-*))). */
export function isLdapFilter(filter: string): boolean {
  return filter.length > 0 && parseFilter(filter, 0, 0) === filter.length;
}

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
