/** A cookie value's percent-decoding, or the raw value when it is not valid percent-encoding (`x=%`). */
function decodeCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** Lenient, as browsers and RFC 6265 are: a malformed cookie never fails the request, it just matches nothing. */
export function parseCookieHeader(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of header?.split(";") ?? []) {
    const separator = part.indexOf("=");
    const name = part.slice(0, separator).trim();
    if (separator > 0 && !cookies.has(name)) cookies.set(name, decodeCookieValue(part.slice(separator + 1).trim()));
  }
  return cookies;
}
