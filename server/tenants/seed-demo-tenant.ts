import type { TDatabase } from "@/server/db/client";
import { hashPassword } from "@/server/auth/password";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const DEMO_TENANT_SLUG = "demo";

const DEPARTMENTS: { name: string; children?: string[] }[] = [
  { name: "Engineering", children: ["Platform", "Mobile"] },
  { name: "Sales" },
  { name: "People" },
];

const MEMBERS: { fullName: string; department: string; sysAdmin?: number }[] = [
  { fullName: "Ada Demo", department: "People", sysAdmin: SYSTEM_ROLE.owner },
  { fullName: "Grace Hopper", department: "Platform", sysAdmin: SYSTEM_ROLE.admin },
  { fullName: "Linus Lindqvist", department: "Platform" },
  { fullName: "Margaret Hamilton", department: "Engineering" },
  { fullName: "Katherine Johnson", department: "Mobile" },
  { fullName: "Alan Turing", department: "Mobile" },
  { fullName: "Mary Jackson", department: "Sales" },
  { fullName: "Dorothy Vaughan", department: "Sales" },
  { fullName: "Barbara Liskov", department: "People" },
];

const usernameOf = (fullName: string) => fullName.toLowerCase().replaceAll(" ", ".");

/**
 * Creates the demo organisation for trying the console. Idempotent: a second
 * run finds it and changes nothing. Every demo account gets `password`.
 */
export async function seedDemoTenant(db: TDatabase, password: string): Promise<{ created: boolean; adminUsername: string }> {
  const adminUsername = usernameOf(MEMBERS[0]!.fullName);
  if (await db.tenant.findUnique({ where: { slug: DEMO_TENANT_SLUG }, select: { id: true } })) return { created: false, adminUsername };
  const passwordHash = await hashPassword(password);
  await db.$transaction(async (tx) => {
    const tenant = await tx.tenant.create({ data: { slug: DEMO_TENANT_SLUG, name: "Demo Organisation" } });
    const departmentIds = new Map<string, bigint>();
    for (const department of DEPARTMENTS) {
      const parent = await tx.department.create({ data: { tenantId: tenant.id, name: department.name } });
      departmentIds.set(department.name, parent.id);
      for (const child of department.children ?? []) {
        const created = await tx.department.create({ data: { tenantId: tenant.id, parentId: parent.id, name: child } });
        departmentIds.set(child, created.id);
      }
    }
    for (const [index, member] of MEMBERS.entries()) {
      const username = usernameOf(member.fullName);
      const [firstName = "", lastName = ""] = member.fullName.split(" ");
      const departmentId = departmentIds.get(member.department)!;
      const created = await tx.user.create({
        data: {
          tenantId: tenant.id,
          username,
          email: `${username}@demo.example`,
          firstName,
          lastName,
          fullName: member.fullName,
          mobile: `+4479111234${String(index).padStart(2, "0")}`,
          itc: "+44",
          country: "GB",
          passwordHash,
          sysAdmin: member.sysAdmin ?? SYSTEM_ROLE.member,
          departments: { create: { departmentId } },
        },
      });
      // The main department must be one of the member's departments: set once the membership exists.
      await tx.user.update({ where: { id: created.id }, data: { mainDepartmentId: departmentId } });
    }
  });
  return { created: true, adminUsername };
}
