import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { listDepartmentTree } from "@/server/org/list-department-tree";
import { DEMO_TENANT_SLUG, seedDemoTenant } from "@/server/tenants/seed-demo-tenant";

describe("the demo seed", () => {
  it("creates a demo organisation with departments and members once, whose admin can sign in", async () => {
    const password = "a demo password for this test only";
    const first = await seedDemoTenant(db(), password);
    expect(first.created).toBe(true);
    const second = await seedDemoTenant(db(), "another password entirely");
    expect(second.created).toBe(false);

    const tenant = await db().tenant.findUniqueOrThrow({ where: { slug: DEMO_TENANT_SLUG } });
    const tree = await listDepartmentTree(db(), tenant.id);
    expect(tree.map((node) => node.name)).toEqual(["Engineering", "People", "Sales", "Departed"]);
    expect(tree[0]!.children.map((node) => node.name)).toEqual(["Mobile", "Platform"]);
    expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(9);
    const totalInDepartments = (nodes: typeof tree): number => nodes.reduce((sum, node) => sum + node.memberCount + totalInDepartments(node.children), 0);
    expect(totalInDepartments(tree)).toBe(9);

    await expect(signInWithPassword(db(), { organisation: DEMO_TENANT_SLUG, login: first.adminUsername, password }, {})).resolves.toHaveProperty("sessionId");
  });
});
