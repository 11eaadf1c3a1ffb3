import type { Page } from "@playwright/test";
import type pg from "pg";
import { expect, signInAsAdmin, test } from "./support/fixtures";
import type { TE2eTenant } from "./support/factory";

// The permission inheritance matrix (issue 12, item 6): an admin grants a role
// to a department with everything below it, from a cell; the preview says who
// gains what; once confirmed the cells say where the role is granted and where
// it is inherited, and the members hold it. Then the grant is narrowed, through
// the same preview, and the members below lose it.

async function roleWithPolicy(database: pg.Pool, tenant: TE2eTenant, name: string, permission: string): Promise<string> {
  const role = await database.query<{ id: string }>("INSERT INTO roles (tenant_id, name) VALUES ($1, $2) RETURNING id", [tenant.id, name]);
  const policy = await database.query<{ id: string }>("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, $2, $3) RETURNING id", [tenant.id, permission, permission]);
  await database.query("INSERT INTO role_policies (role_id, policy_id) VALUES ($1, $2)", [role.rows[0]!.id, policy.rows[0]!.id]);
  return role.rows[0]!.id;
}

async function holdsRole(database: pg.Pool, memberId: string, roleId: string): Promise<boolean> {
  const { rows } = await database.query("SELECT 1 FROM member_access WHERE user_id = $1 AND kind = 1 AND item_id = $2", [memberId, roleId]);
  return rows.length === 1;
}

const cell = (page: Page, role: string, department: string) =>
  page.getByRole("region", { name: /Inheritance matrix/ }).getByRole("button", { name: new RegExp(`^${role} in ${department}: `) });

test("grants a role to a department and everything below from the matrix, through the preview", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const platform = await factory.createDepartment(tenant, "Platform", engineering);
  const infra = await factory.createDepartment(tenant, "Infra", platform);
  await factory.createDepartment(tenant, "Sales");
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const bob = await factory.createMember(tenant, { fullName: "Bob Infra" });
  await factory.addToDepartment(ada, platform, { main: true });
  await factory.addToDepartment(bob, infra, { main: true });
  const developer = await roleWithPolicy(database, tenant, "Developer", "repo:write");
  await roleWithPolicy(database, tenant, "Auditor", "audit:read");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Inheritance matrix", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/access/matrix");
  await expect(cell(page, "Developer", "Engineering")).toHaveAccessibleName("Developer in Engineering: not granted. Change");

  await cell(page, "Developer", "Engineering").click();
  const choices = page.getByRole("dialog", { name: "“Developer” in Engineering" });
  await choices.getByRole("button", { name: "Grant to Engineering and everything below" }).click();

  const preview = page.getByRole("dialog", { name: "Grant the role “Developer” to Engineering and everything below?" });
  await expect(preview).toContainText("2 members change.");
  await expect(preview.getByRole("list", { name: "Totals" })).toContainText("Gained: 4 grants");
  const perMember = preview.getByRole("list", { name: "Per member" });
  await expect(perMember.getByRole("listitem").filter({ hasText: ada.username })).toContainText("Gains: Developer (role), repo:write (permission)");
  await expect(perMember.getByRole("listitem").filter({ hasText: bob.username })).toContainText("Gains: Developer (role), repo:write (permission)");
  // Nothing is granted before the confirmation.
  expect(await holdsRole(database, ada.id, developer)).toBe(false);

  await preview.getByRole("button", { name: "Grant to Engineering and below" }).click();
  await expect(preview).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Granted the role “Developer” to Engineering and everything below." })).toBeVisible();
  await expect(cell(page, "Developer", "Engineering")).toHaveText("Here and below");
  await expect(cell(page, "Developer", "Platform")).toHaveText("From Engineering");
  await expect(cell(page, "Developer", "Infra")).toHaveText("From Engineering");
  await expect(cell(page, "Developer", "Sales")).toHaveAccessibleName("Developer in Sales: not granted. Change");
  await expect(cell(page, "Auditor", "Platform")).toHaveAccessibleName("Auditor in Platform: not granted. Change");
  expect(await holdsRole(database, ada.id, developer)).toBe(true);
  expect(await holdsRole(database, bob.id, developer)).toBe(true);
  const audited = await database.query<{ action: string }>("SELECT action FROM audit_events WHERE tenant_id = $1 AND action LIKE '%access_changed' OR (tenant_id = $1 AND action = 'department.role_granted') ORDER BY id", [tenant.id]);
  expect(audited.rows.map((row) => row.action)).toEqual(["department.role_granted", "member.access_changed", "member.access_changed"]);

  // Narrowing: the preview names who loses what; Platform and Infra no longer inherit.
  await cell(page, "Developer", "Engineering").click();
  await page.getByRole("dialog", { name: "“Developer” in Engineering" }).getByRole("button", { name: "Limit to Engineering only" }).click();
  const narrowing = page.getByRole("dialog", { name: "Limit “Developer” to Engineering only?" });
  await expect(narrowing.getByRole("list", { name: "Totals" })).toContainText("Lost: 4 grants");
  await expect(narrowing.getByRole("list", { name: "Per member" }).getByRole("listitem").filter({ hasText: ada.username })).toContainText("Loses: Developer (role), repo:write (permission)");
  await narrowing.getByRole("button", { name: "Limit the grant" }).click();
  await expect(narrowing).toHaveCount(0);
  await expect(cell(page, "Developer", "Engineering")).toHaveText("Granted here");
  await expect(cell(page, "Developer", "Platform")).toHaveAccessibleName("Developer in Platform: not granted. Change");
  expect(await holdsRole(database, ada.id, developer)).toBe(false);

  // Finding departments keeps a department and everything under it.
  await page.getByLabel("Find departments").fill("platform");
  await expect(cell(page, "Developer", "Infra")).toBeVisible();
  await expect(cell(page, "Developer", "Engineering")).toHaveCount(0);
  await page.getByLabel("Find departments").fill("");

  // At 390 px the page does not scroll sideways: the matrix scrolls inside its own box.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.reload();
  await expect(cell(page, "Developer", "Engineering")).toHaveText("Granted here");
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
});

test("a department's roles and applications on the departments page, granted through the preview", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const platform = await factory.createDepartment(tenant, "Platform", engineering);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await factory.addToDepartment(ada, platform, { main: true });
  const developer = await roleWithPolicy(database, tenant, "Developer", "repo:write");

  await page.goto("/console/departments");
  await page.getByRole("button", { name: "Roles and apps of Engineering" }).click();
  const form = page.getByRole("form", { name: "Grant to Engineering" });
  await form.getByLabel("Role to grant").selectOption({ label: "Developer" });
  await form.getByLabel("Also every department below Engineering").check();
  await form.getByRole("button", { name: "Preview the grant" }).click();
  const preview = page.getByRole("dialog", { name: "Grant the role “Developer” to Engineering and everything below?" });
  await expect(preview).toContainText("1 member changes.");
  await preview.getByRole("button", { name: "Grant to Engineering and below" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Granted the role “Developer” to Engineering and everything below." })).toBeVisible();
  await expect(page.getByRole("list", { name: "Granted to Engineering" })).toContainText("Here and below");
  expect(await holdsRole(database, ada.id, developer)).toBe(true);

  await page.getByRole("button", { name: "Roles and apps of Platform" }).click();
  await expect(page.getByRole("list", { name: "Granted to Platform" })).toContainText("From Engineering");
});

test("a group's roles: granted and removed through the preview, its members gain and lose them", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const developer = await roleWithPolicy(database, tenant, "Developer", "repo:write");
  const group = await database.query<{ id: string }>("INSERT INTO groups (tenant_id, name) VALUES ($1, 'On call') RETURNING id", [tenant.id]);
  await database.query("INSERT INTO member_groups (group_id, user_id) VALUES ($1, $2)", [group.rows[0]!.id, ada.id]);

  await page.goto("/console/roles?tab=groups");
  await page.getByRole("button", { name: "Roles and apps… of On call" }).click();
  const form = page.getByRole("form", { name: "Grant to On call" });
  await form.getByLabel("Role to grant").selectOption({ label: "Developer" });
  await form.getByRole("button", { name: "Preview the grant" }).click();
  const preview = page.getByRole("dialog", { name: "Grant the role “Developer” to the group On call?" });
  await expect(preview.getByRole("list", { name: "Per member" }).getByRole("listitem").filter({ hasText: ada.username })).toContainText("Gains: Developer (role), repo:write (permission)");
  await preview.getByRole("button", { name: "Grant to On call" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Granted the role “Developer” to the group On call." })).toBeVisible();
  await expect(page.getByRole("list", { name: "Granted to On call" })).toContainText("Developer");
  expect(await holdsRole(database, ada.id, developer)).toBe(true);

  await page.getByRole("list", { name: "Granted to On call" }).getByRole("button", { name: "Remove Developer" }).click();
  const removal = page.getByRole("dialog", { name: "Take the role “Developer” from the group On call?" });
  await expect(removal.getByRole("list", { name: "Per member" })).toContainText("Loses: Developer (role), repo:write (permission)");
  await removal.getByRole("button", { name: "Remove the grant" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Took the role “Developer” from the group On call." })).toBeVisible();
  await expect(page.getByText("Nothing granted to this group yet.")).toBeVisible();
  expect(await holdsRole(database, ada.id, developer)).toBe(false);
});
