import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { planBatch } from "@/server/imports/plan-batch";
import { writeMembers } from "@/server/imports/write-members";
import { createMember, createTenant } from "../support/factories";

// A member's main department must be one of their departments (the key users → department_members). The bulk
// write creates members with it in the INSERT, the membership right after, and the key's check waits for that
// within the write only: anywhere else, and after the write in the same transaction, it is checked at once.

const codeOf = (error: unknown) => (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } }).meta?.driverAdapterError?.cause?.originalCode;

describe("the main department's key", () => {
  it("lets a bulk write create members in their main department, then checks at once again", async () => {
    const tenant = await createTenant();
    const [engineering, sales] = await Promise.all(["Engineering", "Sales"].map((name) => db().department.create({ data: { tenantId: tenant.id, name } })));
    const rows = ["ada", "grace"].map((username, index) => ({
      rowNumber: index + 1,
      key: username,
      values: { username, firstName: username, lastName: "Doe", email: `${username}@example.test`, mainDepartmentId: engineering!.id.toString() },
    }));
    const refusal = await db()
      .$transaction(async (tx) => {
        const ids = await writeMembers(tx, tenant.id, null, planBatch(rows, new Map(), "western").writes);
        expect(ids.size).toBe(2);
        // Still in the write's transaction: a main department the member does not belong to is refused by this statement.
        await tx.$executeRaw`UPDATE users SET main_department_id = ${sales!.id} WHERE id = ${ids.get(1)!}`;
      })
      .then(() => null, (error: unknown) => error);
    expect(codeOf(refusal)).toBe("23503");
    expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(0);

    // Without the refused statement the members are there, in their department.
    const written = await db().$transaction((tx) => writeMembers(tx, tenant.id, null, planBatch(rows, new Map(), "western").writes));
    for (const id of written.values()) {
      expect(await db().user.findUniqueOrThrow({ where: { id }, select: { mainDepartmentId: true } })).toEqual({ mainDepartmentId: engineering!.id });
      expect(await db().departmentMember.count({ where: { userId: id, departmentId: engineering!.id } })).toBe(1);
    }
  });

  it("is checked at once outside the bulk write", async () => {
    const tenant = await createTenant();
    const department = await db().department.create({ data: { tenantId: tenant.id, name: "Finance" } });
    const member = await createMember(tenant.id);
    const refused = await db()
      .$transaction((tx) => tx.$executeRaw`UPDATE users SET main_department_id = ${department.id} WHERE id = ${member.id}`)
      .then(() => null, (error: unknown) => error);
    expect(codeOf(refused)).toBe("23503");
  });
});
