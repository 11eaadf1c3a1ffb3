import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { auditLines, type TAuditLine } from "@/components/audit/audit-lines";
import { ACTION_LABELS, actionLabel } from "@/components/audit/audit-labels";
import { compareFields } from "@/components/members/member-labels";
import { AUDIT_ACTIONS } from "@/server/audit/audit-actions";

// Issue 11 item 14: every audit event in words an admin understands, no
// "0 → 0", and moments left to the one time format (never ISO text).

const text = (line: TAuditLine) => line.segments.map((segment) => (typeof segment === "string" ? segment : `<${segment.at}>`)).join("");
const lines = (changes: Record<string, { before: unknown; after: unknown }>) => auditLines(changes, compareFields).map(text);

function sourceFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sourceFiles(path);
    return name.endsWith(".ts") ? [path] : [];
  });
}

describe("the words of every audit event", () => {
  it("has words for every kind the server writes, none of them its code", () => {
    for (const action of AUDIT_ACTIONS) {
      expect(ACTION_LABELS[action], action).toBeTruthy();
      expect(actionLabel(action), action).not.toMatch(/[._]/);
    }
  });

  it("knows every literal action the server's code records (recordAuditEvent only takes AUDIT_ACTIONS; this catches a cast)", () => {
    const known = new Set<string>(AUDIT_ACTIONS);
    const written = sourceFiles(join(process.cwd(), "server"))
      .flatMap((path) => [...readFileSync(path, "utf8").matchAll(/action: "([a-z_]+\.[a-z_]+)"/g)].map((match) => match[1]!))
      .filter((action) => !action.startsWith("lifecycle."));
    expect(written.length).toBeGreaterThan(30);
    expect(written.filter((action) => !known.has(action))).toEqual([]);
  });

  it("writes an action it does not know (an older or newer version's) in words too", () => {
    expect(actionLabel("member.something_new")).toBe("Member: something new");
  });

  it("leaves out what did not change: 0 → 0, nothing → nothing, the same list", () => {
    expect(lines({ name: { before: "Payroll", after: null }, grants: { before: 0, after: 0 } })).toEqual(["Name removed: Payroll"]);
    expect(lines({ sessions: { before: 0, after: 0 }, roles: { before: [], after: [] }, title: { before: "A", after: "A" } })).toEqual([]);
    expect(lines({ grants: { before: 3, after: 0 } })).toEqual(["Taken away from 3 members who held it"]);
  });

  it("says an action's access totals in words (issue 12 item 4)", () => {
    expect(lines({ accessChanges: { before: null, after: { affected: 2, gained: 4, lost: 1 } } })).toEqual(["Changed the access of 2 members: 4 items gained, 1 item lost"]);
  });

  it("names fields in words and hands moments to the time format instead of writing ISO text", () => {
    const expires = "2026-12-11T10:41:00.000Z";
    expect(lines({ invitationExpiresAt: { before: null, after: expires } })).toEqual([`The invitation link works until <${expires}>`]);
    expect(lines({ someNewField: { before: "a", after: "b" } })).toEqual(["Some new field: a → b"]);
    expect(lines({ state: { before: "active", after: "locked" }, lockEndDate: { before: null, after: expires }, sessionsEnded: { before: 2, after: 0 } })).toEqual([
      "Status: Active → Locked",
      `Locked until <${expires}>`,
      "Ended 2 open sessions",
    ]);
    for (const line of lines({ scheduledLeaveAt: { before: null, after: expires }, passwordExpiresAt: { before: null, after: expires } })) {
      expect(line).not.toMatch(/(^|[^<])\d{4}-\d{2}-\d{2}T/);
    }
  });
});
