import { ImportFileError } from "@/server/imports/import-file-error";

// Streams the elements of a JSON array, or the lines of NDJSON, as text: each
// is then parsed on its own, so one bad element is a row error rather than
// the end of the file, and memory holds one element at a time.

const OPEN = new Set(["{", "["]);
const CLOSE = new Set(["}", "]"]);

/** The text of each top-level element of a JSON array, from chunks of text. */
export async function* jsonArrayElements(chunks: AsyncIterable<string>, maxElementLength: number): AsyncGenerator<string> {
  // Widened on purpose: TypeScript cannot follow the assignments across yields.
  let phase = "start" as "start" | "between" | "element" | "end";
  let element = "";
  let depth = 0;
  let inString = false;
  let escaped = false;
  let count = 0;
  const elementTooLong = () => new ImportFileError(`Element ${count + 1} of the JSON array is longer than ${Math.round(maxElementLength / 1024)} KB`);

  for await (const chunk of chunks) {
    let start = 0;
    for (let index = 0; index < chunk.length; index += 1) {
      const character = chunk[index]!;
      if (phase === "element") {
        if (inString) {
          if (escaped) escaped = false;
          else if (character === "\\") escaped = true;
          else if (character === '"') inString = false;
          continue;
        }
        if (character === '"') inString = true;
        else if (OPEN.has(character)) depth += 1;
        else if (depth > 0 && CLOSE.has(character)) depth -= 1;
        else if (depth === 0 && (character === "," || character === "]")) {
          element += chunk.slice(start, index);
          if (element.length > maxElementLength) throw elementTooLong();
          yield element;
          count += 1;
          element = "";
          phase = character === "]" ? "end" : "between";
        }
        continue;
      }
      if (/\s/.test(character)) continue;
      if (phase === "start") {
        if (character !== "[") throw new ImportFileError("A JSON file must hold an array of members ([{…}, {…}]), or one member object per line (NDJSON)");
        phase = "between";
      } else if (phase === "between") {
        if (character === "]" && count === 0) phase = "end";
        else if (character === "," || character === "]") throw new ImportFileError(`Element ${count + 1} of the JSON array is empty`);
        else {
          phase = "element";
          start = index;
          index -= 1; // read this character again as the element's first
        }
      } else {
        throw new ImportFileError("Unexpected text after the end of the JSON array");
      }
    }
    if (phase === "element") {
      element += chunk.slice(start);
      if (element.length > maxElementLength) throw elementTooLong();
    }
  }
  if (phase !== "end") throw new ImportFileError("The JSON array is not closed: the file may be cut off");
}

/** The non-blank lines of NDJSON (one object per line), from chunks of text. */
export async function* ndjsonLines(chunks: AsyncIterable<string>, maxLineLength: number): AsyncGenerator<string> {
  let pending = "";
  let count = 0;
  for await (const chunk of chunks) {
    pending += chunk;
    let lineStart = 0;
    for (let newline = pending.indexOf("\n"); newline >= 0; newline = pending.indexOf("\n", lineStart)) {
      const line = pending.slice(lineStart, newline).trim();
      lineStart = newline + 1;
      if (line) {
        count += 1;
        yield line;
      }
    }
    pending = pending.slice(lineStart);
    if (pending.length > maxLineLength) throw new ImportFileError(`Line ${count + 1} is longer than ${Math.round(maxLineLength / 1024)} KB`);
  }
  if (pending.trim()) yield pending.trim();
}

/**
 * The text of the array under a top-level key of one JSON object ({"realm": …, "users": [ … ]}, a Keycloak realm
 * export), from chunks of text; everything else in the object is skipped unread, so a realm's clients and roles cost nothing.
 */
export async function* arrayUnderKey(chunks: AsyncIterable<string>, wanted: string): AsyncGenerator<string> {
  let depth = 0;
  let inString = false;
  let escaped = false;
  let text = "";
  let lastString: string | null = null;
  let afterKey = false;
  let forwarding = false;
  let found = false;
  for await (const chunk of chunks) {
    let start = -1;
    for (let index = 0; index < chunk.length; index += 1) {
      const character = chunk[index]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (character === "\\") escaped = true;
        else if (character === '"') {
          inString = false;
          lastString = text;
        } else if (depth === 1 && text.length <= wanted.length) text += character;
        continue;
      }
      if (character === '"') {
        inString = true;
        text = "";
      } else if (character === ":" && depth === 1) {
        afterKey = lastString === wanted;
      } else if (OPEN.has(character)) {
        if (afterKey && depth === 1 && character === "[" && !found) {
          forwarding = true;
          found = true;
          start = index;
        }
        afterKey = false;
        depth += 1;
      } else if (CLOSE.has(character)) {
        depth -= 1;
        if (forwarding && depth === 1) {
          yield chunk.slice(Math.max(start, 0), index + 1);
          forwarding = false;
          start = -1;
        }
      } else if (!/\s/.test(character)) afterKey = false;
    }
    if (forwarding) yield chunk.slice(Math.max(start, 0));
  }
  if (!found) throw new ImportFileError(`A JSON object must hold the members in a "${wanted}" array (as a Keycloak realm export does), or be one member per line (NDJSON)`);
}
