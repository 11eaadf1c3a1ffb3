// Where to send a browser after sign-in, MFA enrolment or a password change:
// the one check every user-supplied callback goes through. Browsers read "\" as
// "/", drop tabs and line breaks inside URLs and follow "//host" to another
// site, so "/\evil.example" or "/%09/evil.example" leave the site although they
// start with "/". The candidate is refused outright when it carries any of
// those (raw or percent-encoded), then parsed against our own origin and kept
// only when it stays there. Pure: safe for client components.

/** Stands in for our origin where only the path matters (the same-origin test is the same for any origin). */
const OWN_ORIGIN = "http://tenure.invalid";
const MAX_REDIRECT_LENGTH = 2048;
const DECODE_ROUNDS = 3;

/** Backslashes, control characters and any whitespace (browsers strip some, which turns "/\t/evil" into "//evil"). */
const DANGEROUS = /[\\\u0000-\u0020\u007f-\u00a0\u1680\u2000-\u200f\u2028\u2029\u202f\u205f\u3000\ufeff]/;

function decodings(candidate: string): string[] | null {
  const forms = [candidate];
  for (let round = 0; round < DECODE_ROUNDS; round++) {
    try {
      const decoded = decodeURIComponent(forms.at(-1)!);
      if (decoded === forms.at(-1)) break;
      forms.push(decoded);
    } catch {
      return null;
    }
  }
  return forms;
}

function unsafePathStart(form: string): boolean {
  const path = form.split(/[?#]/, 1)[0]!;
  return DANGEROUS.test(path) || path.startsWith("//");
}

/**
 * A same-origin path (path + query + hash) to redirect to, or `fallback`.
 * `origin` is our own origin when an absolute URL of ours is acceptable (next-auth's redirect callback).
 */
export function safeRedirectPath(candidate: unknown, { origin = OWN_ORIGIN, fallback = "/" }: { origin?: string; fallback?: string } = {}): string {
  if (typeof candidate !== "string" || candidate === "" || candidate.length > MAX_REDIRECT_LENGTH) return fallback;
  const forms = decodings(candidate);
  // Raw: nothing dangerous anywhere. Decoded: nothing dangerous before the query (a search for "a b" stays allowed).
  if (!forms || DANGEROUS.test(candidate) || forms.some((form) => unsafePathStart(form))) return fallback;
  let own: URL;
  let url: URL;
  try {
    own = new URL(origin);
    url = new URL(candidate, own);
  } catch {
    return fallback;
  }
  const relative = candidate.startsWith("/");
  const absoluteOfOurs = !relative && /^https?:\/\//i.test(candidate) && url.origin === own.origin;
  if ((!relative && !absoluteOfOurs) || url.origin !== own.origin) return fallback;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "http://us//evil" has the path "//evil", "/./%2F/evil" the path "/%2F/evil": the same checks again on the result.
  const resultForms = decodings(path);
  return !resultForms || resultForms.some((form) => unsafePathStart(form)) ? fallback : path;
}
