import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPOSITORY_ROOT as ROOT, sourceFiles } from "../support/source-files";

// WCAG 2.2 AA asks 4.5:1 for text. Tailwind's greys up to 400 fail on white
// (slate-400, #90a1b9, is 2.63:1: "never", "None", "Not set" once used it), and
// slate-500 passes on white (4.76:1) but not on slate-100/200 (4.34:1 and less:
// the READ-ONLY badge). A static scan of every class string in app/ and
// components/, so a new muted label cannot bring either back; the browser-side
// axe-core check covers what a class list cannot show (colours from a parent).

const GREYS = "slate|gray|zinc|neutral|stone";
/** A text colour too light on white, with any variant prefix (hover:, md:, placeholder:…). */
const TOO_LIGHT_TEXT = new RegExp(`(?<![\\w-])(?:[\\w-]+:)*text-(?:${GREYS})-(?:50|100|200|300|400)(?![\\w-])`, "g");
const MID_GREY_TEXT = new RegExp(`(?<![\\w:-])text-(?:${GREYS})-500(?![\\w-])`);
const TINTED_BACKGROUND = new RegExp(`(?<![\\w:-])bg-(?:${GREYS})-(?:100|200|300)(?![\\w-])`);
/** A string or template literal: where class lists live. */
const STRING = /"[^"\n]*"|'[^'\n]*'|`[^`]*`/g;

/** "file:line: class" for every low-contrast text colour in the source. */
function lowContrastClasses(file: string, source: string): string[] {
  const found: string[] = [];
  source.split("\n").forEach((line, index) => {
    const where = `${path.relative(ROOT, file)}:${index + 1}`;
    // A light grey on a dark background is fine; the console has none, so any is flagged.
    for (const match of line.matchAll(TOO_LIGHT_TEXT)) found.push(`${where}: ${match[0]}`);
    for (const literal of line.match(STRING) ?? []) {
      if (MID_GREY_TEXT.test(literal) && TINTED_BACKGROUND.test(literal)) found.push(`${where}: mid grey text on a tinted grey in ${literal}`);
    }
  });
  return found;
}

describe("text contrast", () => {
  it("uses no text colour below 4.5:1 on the console's light backgrounds", () => {
    const files = ["app", "components"].flatMap((directory) => sourceFiles(path.join(ROOT, directory)));
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((file) => lowContrastClasses(file, readFileSync(file, "utf8")))).toEqual([]);
  });

  it("recognises the classes it bans", () => {
    const flagged = (source: string) => lowContrastClasses(path.join(ROOT, "x.tsx"), source);
    expect(flagged('<span className="italic text-slate-400">Not set</span>')).toHaveLength(1);
    expect(flagged('<span className="hover:text-gray-300">x</span>')).toHaveLength(1);
    expect(flagged('<span className="rounded bg-slate-100 text-slate-500">read-only</span>')).toHaveLength(1);
    expect(flagged('<span className="text-slate-500">hint</span> <b className="bg-slate-100 text-slate-700">ok</b>')).toEqual([]);
    expect(flagged('<span className="text-slate-600 text-slate-4000">x</span>')).toEqual([]);
  });
});
