import { describe, expect, it } from "vitest";
import { permissionMatchesPattern, watchedPermissions } from "@/server/alerts/policy-patterns";
import { needsAlertJob } from "@/server/audit/alertable-actions";

// Which granted permissions a sensitive-grant rule watches (issue 12, item 8).

describe("alert rule patterns", () => {
  it("`*` stands for anything on either side of resource:action", () => {
    expect(permissionMatchesPattern("members:delete", "*:*")).toBe(true);
    expect(permissionMatchesPattern("members:delete", "members:*")).toBe(true);
    expect(permissionMatchesPattern("members:delete", "*:delete")).toBe(true);
    expect(permissionMatchesPattern("members:read", "*:delete")).toBe(false);
    expect(permissionMatchesPattern("tickets:delete", "members:*")).toBe(false);
  });

  it("a wildcard policy matches the narrower pattern it grants", () => {
    expect(permissionMatchesPattern("members:*", "members:delete")).toBe(true);
    expect(permissionMatchesPattern("members:write*", "members:write.all")).toBe(true);
    expect(permissionMatchesPattern("tickets:*", "members:delete")).toBe(false);
  });

  it("is case-blind and takes no regular expression from a pattern", () => {
    expect(permissionMatchesPattern("Members:Delete", "members:delete")).toBe(true);
    expect(permissionMatchesPattern("membersxdelete:read", "members.delete:read")).toBe(false);
  });

  it("keeps only the watched permissions", () => {
    expect(watchedPermissions(["members:read", "repo:write", "members:delete"], ["members:delete", "*:write"])).toEqual(["repo:write", "members:delete"]);
    expect(watchedPermissions(["members:read"], [])).toEqual([]);
  });
});

describe("which audit statements enqueue an alert job", () => {
  it("a profile edit only when it raises the system level to admin or owner", () => {
    expect(needsAlertJob("member.updated", [{ firstName: { before: "A", after: "B" } }])).toBe(false);
    expect(needsAlertJob("member.updated", [{ sysAdmin: { before: 2, after: 1 } }])).toBe(false);
    expect(needsAlertJob("member.updated", [{ sysAdmin: { before: 0, after: 1 } }])).toBe(true);
    expect(needsAlertJob("member.created", [{ sysAdmin: { before: null, after: 2 } }])).toBe(true);
  });

  it("a lifecycle action only in bulk; grants, sign-in events and exports always; other actions never", () => {
    expect(needsAlertJob("member.disable", [{}])).toBe(false);
    expect(needsAlertJob("member.disable", [{}, {}])).toBe(true);
    expect(needsAlertJob("member.policy_granted", [{}])).toBe(true);
    expect(needsAlertJob("member.sign_in_throttled", [{}])).toBe(true);
    expect(needsAlertJob("members.exported", [{}])).toBe(true);
    expect(needsAlertJob("department.renamed", [{}])).toBe(false);
    expect(needsAlertJob("member.role_granted", [])).toBe(false);
  });
});
