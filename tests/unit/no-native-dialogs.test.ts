import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// The console asks "are you sure?" with its own dialog (components/lifecycle/
// use-confirm.tsx), never the browser's: window.confirm/alert/prompt cannot be
// styled as destructive, name their buttons "OK", block the page, and are
// dismissed silently by some browsers. A static scan of the source, so a new
// component cannot slip back into them.

const ROOT = path.resolve(import.meta.dirname, "../..");
const LAYERS = ["app", "components"];
const SOURCE = /\.(?:ts|tsx|js|jsx|mjs)$/;
// window.confirm(…), a bare confirm(…)/alert(…)/prompt(…) (globalThis.* too); not `actions.confirm(…)` or `onConfirm(…)`.
const NATIVE_DIALOG = /(?:\b(?:window|globalThis|self)\s*\.\s*|(?<![\w.$]))(?:confirm|alert|prompt)\s*\(/;

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return SOURCE.test(entry.name) ? [full] : [];
  });
}

/** Lines that open a native dialog, as "file:line: text"; comments are skipped. */
function nativeDialogCalls(file: string): string[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .flatMap((line, index) => {
      const code = line.replace(/\/\/.*$/, "").replace(/^\s*\*.*$/, "");
      return NATIVE_DIALOG.test(code) ? [`${path.relative(ROOT, file)}:${index + 1}: ${line.trim()}`] : [];
    });
}

describe("native browser dialogs", () => {
  it("the scan recognises them", () => {
    const calls = ['if (window.confirm("Sure?")) go();', "confirm('x')", "alert(message);", "globalThis.prompt('name')"];
    const harmless = ["await actions.confirm(values);", "onConfirm(values)", "if (!(await askConfirmation({ title }))) return;", "useConfirm()"];
    for (const line of calls) expect(NATIVE_DIALOG.test(line), line).toBe(true);
    for (const line of harmless) expect(NATIVE_DIALOG.test(line), line).toBe(false);
  });

  it("app/ and components/ never open window.confirm, alert or prompt", () => {
    const calls = LAYERS.flatMap((layer) => sourceFiles(path.join(ROOT, layer))).flatMap(nativeDialogCalls);
    expect(calls).toEqual([]);
  });
});
