import type { TDatabaseOrTransaction } from "@/server/db/client";

export type TDepartmentProblem = { field: "mainDeptId" | "mainDepartment"; message: string };
export type TDepartmentResolution = { departmentId: string } | { problem: TDepartmentProblem };

type TDepartment = { id: bigint; parentId: bigint | null; name: string; kind: string };

const key = (text: string) => text.trim().toLowerCase();

/**
 * Finds a tenant's department from an import row: by id (mainDeptId), or by
 * name or path "Parent/Child" (mainDepartment), regardless of case. The tree
 * is read once per file: a tenant has hundreds of departments, not millions.
 */
export class DepartmentResolver {
  private readonly byId = new Map<string, TDepartment>();
  private readonly byPath = new Map<string, TDepartment>();
  private readonly byName = new Map<string, TDepartment[]>();

  constructor(departments: TDepartment[]) {
    for (const department of departments) {
      this.byId.set(department.id.toString(), department);
      const named = this.byName.get(key(department.name)) ?? [];
      named.push(department);
      this.byName.set(key(department.name), named);
    }
    for (const department of departments) this.byPath.set(this.pathOf(department).map(key).join("/"), department);
  }

  static async load(db: TDatabaseOrTransaction, tenantId: bigint): Promise<DepartmentResolver> {
    return new DepartmentResolver(
      await db.department.findMany({ where: { tenantId }, select: { id: true, parentId: true, name: true, kind: true } }),
    );
  }

  /** The names from the root down to the department. */
  pathOf(department: TDepartment): string[] {
    const names: string[] = [];
    const seen = new Set<bigint>();
    for (let current: TDepartment | undefined = department; current && !seen.has(current.id); current = current.parentId === null ? undefined : this.byId.get(current.parentId.toString())) {
      seen.add(current.id);
      names.unshift(current.name);
    }
    return names;
  }

  resolve(reference: { id?: string | null; path?: string | null }): TDepartmentResolution | null {
    const byId = reference.id ? this.byId.get(reference.id) : undefined;
    if (reference.id && !byId) return { problem: { field: "mainDeptId", message: "No department of your organisation has this id" } };
    if (!reference.path) return byId ? this.usable(byId, "mainDeptId") : null;
    const found = this.findByPath(reference.path);
    if (byId) {
      // The id decides (an export writes both); a name that clearly means another department is a mistake, though.
      if (!("message" in found) && found.id !== byId.id) {
        return { problem: { field: "mainDepartment", message: `mainDeptId ${reference.id} is ${this.pathOf(byId).join("/")}, not ${reference.path}` } };
      }
      return this.usable(byId, "mainDeptId");
    }
    return "message" in found ? { problem: found } : this.usable(found, "mainDepartment");
  }

  private findByPath(path: string): TDepartment | TDepartmentProblem {
    const exact = this.byPath.get(path.split("/").map(key).join("/"));
    if (exact) return exact;
    const named = path.includes("/") ? [] : (this.byName.get(key(path)) ?? []);
    if (named.length === 1) return named[0]!;
    if (named.length > 1) {
      return { field: "mainDepartment", message: `Several departments are named ${path}: give the path, e.g. ${this.pathOf(named[0]!).join("/")}` };
    }
    return { field: "mainDepartment", message: `No department ${path} in your organisation (give its name, or its path such as Parent/Child)` };
  }

  // The Departed department resolves too: an export of a resigned member names it, and imports back unchanged.
  // Moving anyone else into it is refused against the directory (row-conflicts.ts: DEPARTED_BY_RESIGNING).
  private usable(department: TDepartment, _field: TDepartmentProblem["field"]): TDepartmentResolution {
    return { departmentId: department.id.toString() };
  }
}
