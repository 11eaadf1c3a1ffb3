import type { TDepartmentNode } from "@/server/org/list-department-tree";

export type TDepartmentOption = {
  value: string;
  /** The path from the top: "Engineering / Platform". */
  label: string;
  kind: TDepartmentNode["kind"];
};

/** The department tree as a flat list in tree order (parents before their children), each labelled with its path. */
export function departmentOptions(roots: readonly TDepartmentNode[]): TDepartmentOption[] {
  const options: TDepartmentOption[] = [];
  const walk = (nodes: readonly TDepartmentNode[], path: string[]) => {
    for (const node of nodes) {
      const nodePath = [...path, node.name];
      options.push({ value: node.id, label: nodePath.join(" / "), kind: node.kind });
      walk(node.children, nodePath);
    }
  };
  walk(roots, []);
  return options;
}
