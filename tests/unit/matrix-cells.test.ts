import { describe, expect, it } from "vitest";
import { cellText } from "@/components/access/matrix-cells";
import { cellChanges } from "@/components/access/matrix-cell-dialog";

// The inheritance matrix says in words what each cell is (never colour alone),
// and offers only the changes that fit it.

const names: Record<string, string> = { "1": "Engineering", "2": "Platform" };
const nameOf = (id: string) => names[id] ?? "?";
const department = { id: "3", name: "Infra", parentId: "2", depth: 2, path: ["Engineering", "Platform", "Infra"] };
const role = { id: "9", name: "Developer" };

describe("matrix cells", () => {
  it("say direct, subtree, inherited, both, or nothing", () => {
    expect(cellText(undefined, nameOf)).toBe("");
    expect(cellText({ departmentId: "3", roleId: "9", direct: { subtree: false }, inheritedFrom: [] }, nameOf)).toBe("Granted here");
    expect(cellText({ departmentId: "3", roleId: "9", direct: { subtree: true }, inheritedFrom: [] }, nameOf)).toBe("Here and below");
    expect(cellText({ departmentId: "3", roleId: "9", direct: null, inheritedFrom: ["2", "1"] }, nameOf)).toBe("From Platform, Engineering");
    expect(cellText({ departmentId: "3", roleId: "9", direct: { subtree: false }, inheritedFrom: ["1"] }, nameOf)).toBe("Granted here · from Engineering");
  });

  it("offer grants on empty and inherited cells, scope and removal on direct ones", () => {
    expect(cellChanges(department, role, undefined).map((choice) => choice.change)).toEqual([
      { change: "grantToDepartment", departmentId: "3", kind: "role", itemId: "9", subtree: false },
      { change: "grantToDepartment", departmentId: "3", kind: "role", itemId: "9", subtree: true },
    ]);
    expect(cellChanges(department, role, { departmentId: "3", roleId: "9", direct: null, inheritedFrom: ["1"] }).map((choice) => choice.change.change)).toEqual(["grantToDepartment", "grantToDepartment"]);
    expect(cellChanges(department, role, { departmentId: "3", roleId: "9", direct: { subtree: true }, inheritedFrom: [] }).map((choice) => choice.change)).toEqual([
      { change: "setDepartmentGrantScope", departmentId: "3", kind: "role", itemId: "9", subtree: false },
      { change: "revokeFromDepartment", departmentId: "3", kind: "role", itemId: "9" },
    ]);
  });
});
