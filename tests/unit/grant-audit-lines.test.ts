import { describe, expect, it } from "vitest";
import { auditLines, type TAuditLine } from "@/components/audit/audit-lines";
import { compareFields } from "@/components/members/member-labels";

// The audit trail reads grants to departments and groups as sentences: what
// was granted, how far it reaches, and how many members' access it changed.

const text = (line: TAuditLine) => line.segments.map((segment) => (typeof segment === "string" ? segment : `<${segment.at}>`)).join("");
const lines = (changes: Record<string, { before: unknown; after: unknown }>) => auditLines(changes, compareFields).map(text);
const totals = { before: null, after: { affected: 2, gained: 4, lost: 0 } };

describe("grant events in words", () => {
  it("a grant: the role, its reach and the totals", () => {
    const read = lines({ role: { before: null, after: { id: "9", name: "Developer" } }, subtree: { before: null, after: true }, accessTotals: totals });
    expect(read).toContain("Role: Developer");
    expect(read).toContain("Reaches every department below");
    expect(read).toContain("Access changed for 2 members: 4 grants gained, 0 grants lost");
  });

  it("a scope change names the grant, though the item itself did not change", () => {
    const read = lines({ grantOf: { before: null, after: { kind: "role", id: "9", name: "Developer" } }, subtree: { before: true, after: false } });
    expect(read).toContain("The role “Developer”");
    expect(read).toContain("Applies to this department only");
  });

  it("a revoke says how far the grant had reached", () => {
    expect(lines({ application: { before: { id: "3", name: "GitLab" }, after: null }, subtree: { before: false, after: null } })).toContain("It applied to this department only");
  });
});
