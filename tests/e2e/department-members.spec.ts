import type { Locator, Page } from "@playwright/test";
import { expect, formAlert, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eDepartment, TE2eMember, TE2eTenant } from "./support/factory";

// A member's departments from their Organisation tab (join, main, head,
// leave), heads on the Departments page, and moving departments by drag and drop.

async function signInAsAdmin(page: Page, factory: E2eFactory): Promise<TE2eTenant> {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return tenant;
}

const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
const membership = (page: Page, name: string) => page.getByRole("list", { name: "Member's departments" }).getByRole("listitem", { name });
const treeRow = (page: Page, department: TE2eDepartment) => page.locator(`[data-department-row="${department.id}"]`);

async function openOrganisationTab(page: Page, member: TE2eMember): Promise<void> {
  await page.goto(`/console/members/${member.id}?tab=organisation`);
  await expect(page.getByRole("heading", { name: member.fullName })).toBeVisible();
}

test("an admin adds a member to a second department, makes it main, marks them head and sees it everywhere", async ({ page, factory, database }) => {
  const tenant = await signInAsAdmin(page, factory);
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const sales = await factory.createDepartment(tenant, "Sales");
  const member = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await factory.addToDepartment(member, engineering, { main: true });

  await openOrganisationTab(page, member);
  await expect(membership(page, "Engineering")).toContainText("Main department");

  // Join Sales (the picker leaves out Engineering, which the member is in).
  await page.getByRole("button", { name: "Add to a department…" }).click();
  const picker = page.getByRole("form", { name: "Add to a department" }).getByLabel("Department to join");
  await expect(picker.getByRole("option", { name: "Engineering" })).toHaveCount(0);
  await picker.selectOption({ label: "Sales" });
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(notice(page, "Added to “Sales”.")).toBeVisible();
  await expect(membership(page, "Sales")).toBeVisible();
  await expect(membership(page, "Sales")).not.toContainText("Main department");

  await membership(page, "Sales").getByRole("button", { name: "Make main" }).click();
  await expect(notice(page, "“Sales” is now the main department.")).toBeVisible();
  await expect(membership(page, "Sales")).toContainText("Main department");
  await expect(membership(page, "Engineering")).not.toContainText("Main department");

  await membership(page, "Sales").getByRole("button", { name: "Mark as head" }).click();
  await expect(notice(page, "Marked as head of “Sales”.")).toBeVisible();
  await expect(membership(page, "Sales")).toContainText("Head");
  await expect(membership(page, "Sales").getByRole("button", { name: "Unmark head" })).toBeVisible();
  expect(await factory.departmentsOf(member)).toEqual({ departmentIds: [engineering.id, sales.id], mainDepartmentId: sales.id });

  // The profile shows the record's fields: main department and head of it.
  await page.getByRole("navigation", { name: "Member sections" }).getByRole("link", { name: "Profile" }).click();
  await expect(page.getByTestId("member-main-department")).toHaveText("Sales");
  await expect(page.getByTestId("member-dept-head")).toHaveText("Yes");

  // The Departments page names the heads.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Departments" }).click();
  await expect(treeRow(page, sales)).toContainText("Head: Ada Lovelace");
  await expect(treeRow(page, sales)).toContainText("1 member");
  await expect(treeRow(page, engineering)).not.toContainText("Head:");

  // Leaving the main department asks for the new one in the same step.
  await openOrganisationTab(page, member);
  await membership(page, "Sales").getByRole("button", { name: "Leave" }).click();
  const leaveForm = page.getByRole("form", { name: "Leave Sales" });
  await expect(leaveForm.getByLabel("New main department")).toHaveValue(engineering.id);
  await leaveForm.getByRole("button", { name: "Leave Sales" }).click();
  await expect(notice(page, "Left “Sales”; “Engineering” is now the main department.")).toBeVisible();
  await expect(membership(page, "Sales")).toHaveCount(0);
  await expect(membership(page, "Engineering")).toContainText("Main department");
  expect(await factory.departmentsOf(member)).toEqual({ departmentIds: [engineering.id], mainDepartmentId: engineering.id });

  expect(await factory.auditActionsOf(member)).toEqual([
    "member.department_joined",
    "member.main_department_set",
    "member.department_head_set",
    "member.department_left",
  ]);
  const { rows } = await database.query<{ count: string }>("SELECT count(*) FROM department_members WHERE user_id = $1 AND is_head", [member.id]);
  expect(rows[0]!.count).toBe("0");
});

test("a member's Organisation tab shows refusals and the empty state", async ({ page, factory, database }) => {
  const tenant = await signInAsAdmin(page, factory);
  const sales = await factory.createDepartment(tenant, "Sales");
  const member = await factory.createMember(tenant);

  await openOrganisationTab(page, member);
  await expect(page.getByText("Not in any department yet.")).toBeVisible();
  await page.getByRole("button", { name: "Add to a department…" }).click();
  // Nothing chosen: the field says so.
  const picker = page.getByLabel("Department to join");
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(picker).toHaveAccessibleDescription("Choose a department");
  // Someone else adds the member to Sales meanwhile: the server's refusal lands on the field.
  await factory.addToDepartment(member, sales, { main: true });
  await picker.selectOption({ label: "Sales" });
  await page.getByRole("button", { name: "Add", exact: true }).click();
  await expect(picker).toHaveAccessibleDescription("The member is already in “Sales”");

  // Someone else takes the member out of Sales: marking head is refused with the reason, and the tab catches up.
  await page.getByRole("button", { name: "Cancel" }).click();
  await page.reload();
  await database.query("DELETE FROM department_members WHERE user_id = $1 AND department_id = $2", [member.id, sales.id]);
  await membership(page, "Sales").getByRole("button", { name: "Mark as head" }).click();
  await expect(formAlert(page, "members head only their own departments")).toBeVisible();
  await expect(page.getByText("Not in any department yet.")).toBeVisible();
});

async function dragOnto(page: Page, source: Locator, target: Locator): Promise<void> {
  await source.dragTo(target);
  await page.waitForLoadState("networkidle");
}

test("an admin drags a department onto another to move it, never into its own subtree", async ({ page, factory, database }) => {
  const tenant = await signInAsAdmin(page, factory);
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const platform = await factory.createDepartment(tenant, "Platform", engineering);
  const sales = await factory.createDepartment(tenant, "Sales");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Departments" }).click();
  const departmentItem = (name: string) => page.getByRole("listitem", { name, exact: true });
  await expect(departmentItem("Engineering").getByRole("listitem", { name: "Platform" })).toBeVisible();

  await dragOnto(page, treeRow(page, platform), treeRow(page, sales));
  await expect(notice(page, "Moved “Platform” under “Sales”.")).toBeVisible();
  await expect(departmentItem("Sales").getByRole("listitem", { name: "Platform" })).toBeVisible();
  await expect(departmentItem("Engineering").getByRole("listitem", { name: "Platform" })).toHaveCount(0);

  // Into its own sub-department: the server's refusal, and nothing moves.
  await dragOnto(page, treeRow(page, sales), treeRow(page, platform));
  await expect(formAlert(page, "A department cannot move into itself or one of its sub-departments")).toBeVisible();
  await expect(departmentItem("Sales").getByRole("listitem", { name: "Platform" })).toBeVisible();

  // Onto the top-level zone.
  await dragOnto(page, treeRow(page, platform), page.getByLabel("Top level"));
  await expect(notice(page, "Moved “Platform” to the top level.")).toBeVisible();
  await expect(departmentItem("Sales").getByRole("listitem", { name: "Platform" })).toHaveCount(0);

  const { rows } = await database.query<{ parentId: string | null }>('SELECT parent_id AS "parentId" FROM departments WHERE id = $1', [platform.id]);
  expect(rows[0]!.parentId).toBeNull();
  const moves = await database.query<{ action: string }>(
    "SELECT action FROM audit_events WHERE tenant_id = $1 AND target_type = 'department' AND target_id = $2 ORDER BY id",
    [tenant.id, platform.id],
  );
  expect(moves.rows.map((row) => row.action)).toEqual(["department.moved", "department.moved"]);
});
