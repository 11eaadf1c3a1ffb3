import type { Page } from "@playwright/test";
import type pg from "pg";
import { expect, signInAsAdmin, test } from "./support/fixtures";
import type { TE2eDepartment, TE2eTenant } from "./support/factory";

// Issue 12 item 4: transferring a member from the member page shows who
// gains and loses what before anything changes; cancelling changes nothing;
// confirming changes the member's access exactly as the dialog said.

async function roleWithPolicy(database: pg.Pool, tenant: TE2eTenant, name: string, permission: string) {
  const role = await database.query<{ id: string }>("INSERT INTO roles (tenant_id, name) VALUES ($1, $2) RETURNING id", [tenant.id, name]);
  const policy = await database.query<{ id: string }>("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, $2, $2) RETURNING id", [tenant.id, permission]);
  await database.query("INSERT INTO role_policies (role_id, policy_id) VALUES ($1, $2)", [role.rows[0]!.id, policy.rows[0]!.id]);
  return { roleId: role.rows[0]!.id, policyId: policy.rows[0]!.id };
}

async function grantToDepartment(database: pg.Pool, department: TE2eDepartment, roleId: string, subtree: boolean) {
  await database.query("INSERT INTO department_roles (department_id, role_id, subtree) VALUES ($1, $2, $3)", [department.id, roleId, subtree]);
}

/** The member's effective access, as "kind:item" strings. */
async function accessOf(database: pg.Pool, memberId: string): Promise<string[]> {
  const { rows } = await database.query<{ entry: string }>("SELECT kind || ':' || item_id AS entry FROM member_access WHERE user_id = $1 ORDER BY 1", [memberId]);
  return rows.map((row) => row.entry);
}

const membership = (page: Page, name: string) => page.getByRole("list", { name: "Member's departments" }).getByRole("listitem", { name });

async function openTransfer(page: Page) {
  await membership(page, "Sales").getByRole("button", { name: "Transfer… from Sales" }).click();
  const form = page.getByRole("form", { name: "Transfer from Sales" });
  await form.getByLabel("Transfer to").selectOption({ label: "Engineering / Platform" });
  await form.getByRole("button", { name: "Transfer…", exact: true }).click();
  return page.getByRole("dialog", { name: "Transfer Ada Lovelace from “Sales” to “Engineering / Platform”?" });
}

test("transferring a member previews the access gained and lost, changes nothing on cancel, and changes exactly that on confirm", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const developer = await roleWithPolicy(database, tenant, "Developer", "repo:write");
  const salesRep = await roleWithPolicy(database, tenant, "Sales rep", "crm:read");
  const engineering = await factory.createDepartment(tenant, "Engineering");
  await factory.createDepartment(tenant, "Platform", engineering);
  const sales = await factory.createDepartment(tenant, "Sales");
  await grantToDepartment(database, engineering, developer.roleId, true);
  await grantToDepartment(database, sales, salesRep.roleId, false);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await factory.addToDepartment(ada, sales, { main: true });
  const before = await accessOf(database, ada.id);
  expect(before).toEqual([`1:${salesRep.roleId}`, `3:${salesRep.policyId}`].sort());

  await page.goto(`/console/members/${ada.id}?tab=organisation`);
  await expect(page.getByRole("heading", { name: "Ada Lovelace" })).toBeVisible();

  // Cancel: the preview was computed and rolled back; nothing changed.
  let dialog = await openTransfer(page);
  const changes = dialog.getByRole("region", { name: "Access changes" });
  await expect(changes).toContainText("1 member changes.");
  await expect(changes.getByRole("list", { name: "Totals" })).toHaveText(/Gained: 2 grants\s*Lost: 2 grants/);
  const adaChanges = changes.getByRole("listitem", { name: ada.username });
  await expect(adaChanges).toContainText("Gains: Developer (role), repo:write (permission)");
  await expect(adaChanges).toContainText("Loses: Sales rep (role), crm:read (permission)");
  // Readable on a phone: the dialog does not make the page scroll sideways.
  await page.setViewportSize({ width: 390, height: 800 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 800 });
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await accessOf(database, ada.id)).toEqual(before);
  expect(await factory.departmentsOf(ada)).toEqual({ departmentIds: [sales.id], mainDepartmentId: sales.id });

  // Confirm: the access changes as previewed.
  dialog = await openTransfer(page);
  await expect(dialog.getByRole("listitem", { name: ada.username })).toContainText("Gains: Developer (role), repo:write (permission)");
  await dialog.getByRole("button", { name: "Transfer", exact: true }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Transferred from “Sales” to “Engineering / Platform”." })).toBeVisible();
  await expect(membership(page, "Platform")).toContainText("Main department");
  expect(await accessOf(database, ada.id)).toEqual([`1:${developer.roleId}`, `3:${developer.policyId}`].sort());
  expect(await factory.auditActionsOf(ada)).toEqual(["member.transferred", "member.access_changed"]);
});

test("moving a department previews its members' inherited access; cancel keeps it, confirm takes it", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const developer = await roleWithPolicy(database, tenant, "Developer", "repo:write");
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const platform = await factory.createDepartment(tenant, "Platform", engineering);
  await grantToDepartment(database, engineering, developer.roleId, true);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await factory.addToDepartment(ada, platform, { main: true });
  const held = [`1:${developer.roleId}`, `3:${developer.policyId}`].sort();
  expect(await accessOf(database, ada.id)).toEqual(held);

  await page.goto("/console/departments");
  const row = page.getByRole("listitem", { name: "Platform" });
  const askToMove = async () => {
    await row.getByRole("button", { name: "Move Platform" }).click();
    await page.getByLabel("Move under").selectOption({ label: "(top level)" });
    await row.getByRole("button", { name: "Move", exact: true }).last().click();
    const dialog = page.getByRole("dialog", { name: "Move “Platform” to the top level?" });
    await expect(dialog.getByRole("listitem", { name: ada.username })).toContainText("Loses: Developer (role), repo:write (permission)");
    return dialog;
  };

  let dialog = await askToMove();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await accessOf(database, ada.id)).toEqual(held);
  await expect(page.getByRole("listitem", { name: "Engineering" }).getByRole("listitem", { name: "Platform" })).toBeVisible();

  dialog = await askToMove();
  await dialog.getByRole("button", { name: "Move", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Moved." })).toBeVisible();
  expect(await accessOf(database, ada.id)).toEqual([]);
});

test("taking a policy from a role previews who loses it: only holders with no other path", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const developer = await roleWithPolicy(database, tenant, "Developer", "repo:write");
  const read = await database.query<{ id: string }>("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, 'repo:read', 'repo:read') RETURNING id", [tenant.id]);
  await database.query("INSERT INTO role_policies (role_id, policy_id) VALUES ($1, $2)", [developer.roleId, read.rows[0]!.id]);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const bob = await factory.createMember(tenant, { fullName: "Bob Direct" });
  for (const member of [ada, bob]) await database.query("INSERT INTO member_roles (user_id, role_id) VALUES ($1, $2)", [member.id, developer.roleId]);
  await database.query("INSERT INTO member_policies (user_id, policy_id) VALUES ($1, $2)", [bob.id, developer.policyId]);

  await page.goto("/console/roles");
  await page.getByRole("list", { name: "Roles", exact: true }).getByRole("listitem", { name: "Developer" }).getByRole("button", { name: "Policies…" }).click();
  const editor = page.getByRole("form", { name: "Policies of “Developer”" });
  await editor.getByRole("checkbox", { name: "repo:write" }).uncheck();
  await editor.getByRole("button", { name: "Save policies" }).click();
  const dialog = page.getByRole("dialog", { name: "Change the policies of “Developer”?" });
  await expect(dialog.getByRole("region", { name: "Access changes" })).toContainText("1 member changes.");
  await expect(dialog.getByRole("listitem", { name: ada.username })).toContainText("Loses: repo:write (permission)");
  await expect(dialog.getByRole("listitem", { name: bob.username })).toHaveCount(0);
  await dialog.getByRole("button", { name: "Save policies" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved the policies of “Developer”: repo:read." })).toBeVisible();
  expect(await accessOf(database, ada.id)).not.toContain(`3:${developer.policyId}`);
  expect(await accessOf(database, bob.id)).toContain(`3:${developer.policyId}`);
});
