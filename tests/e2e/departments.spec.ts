import { answerConfirmation, expect, formAlert, signIn, test } from "./support/fixtures";

// The Departments page: the tree with its counts, and every change to it.

test("an admin builds and reshapes the department tree", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Departments" }).click();

  await expect(page.getByText("No departments yet. Create the first one above.")).toBeVisible();
  const departed = page.getByRole("listitem", { name: "Departed" });
  await expect(departed).toContainText("system");
  await expect(departed.getByRole("button", { name: "Delete" })).toHaveCount(0);

  const newName = page.getByLabel("New department name");
  await newName.fill("Engineering");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("status").filter({ hasText: "Created “Engineering”." })).toBeVisible();
  await newName.fill("Sales");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(page.getByRole("listitem", { name: "Sales" })).toBeVisible();

  // A sibling with the same name, in another letter case, is refused on the field.
  await newName.fill("engineering");
  await page.getByRole("button", { name: "Create", exact: true }).click();
  await expect(newName).toHaveAccessibleDescription("A department with this name already exists here");

  const engineering = page.getByRole("listitem", { name: "Engineering" });
  await engineering.getByRole("button", { name: "Add sub-department" }).first().click();
  await page.getByLabel("Sub-department name").fill("Platform");
  await engineering.getByRole("button", { name: "Create", exact: true }).click();
  await expect(engineering.getByRole("listitem", { name: "Platform" })).toBeVisible();
  // The notice shifts the page: wait for it before clicking further down.
  await expect(page.getByRole("status").filter({ hasText: "Created “Platform”." })).toBeVisible();

  // Move Platform under Sales, then rename it.
  const platform = page.getByRole("listitem", { name: "Platform" });
  await platform.getByRole("button", { name: "Move" }).click();
  await page.getByLabel("Move under").selectOption({ label: "Sales" });
  // The form's own button, after the row's "Move" action that opened it.
  await platform.getByRole("button", { name: "Move", exact: true }).last().click();
  await expect(page.getByRole("listitem", { name: "Sales" }).getByRole("listitem", { name: "Platform" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Moved." })).toBeVisible();
  await platform.getByRole("button", { name: "Rename" }).click();
  await page.getByLabel("New name").fill("Platform team");
  await platform.getByRole("button", { name: "Rename", exact: true }).last().click();
  await expect(page.getByRole("listitem", { name: "Platform team" })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Renamed to “Platform team”." })).toBeVisible();

  // A department with sub-departments cannot be deleted; an empty one can.
  await page.getByRole("button", { name: "Delete Sales" }).click();
  await answerConfirmation(page, { title: "Delete “Sales”?", confirm: "Delete department" });
  await expect(formAlert(page, "still has 1 sub-department")).toBeVisible();
  await page.getByRole("button", { name: "Delete Platform team" }).click();
  await answerConfirmation(page, { title: "Delete “Platform team”?", confirm: "Delete department" });
  await expect(page.getByRole("listitem", { name: "Platform team" })).toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: "Deleted." })).toBeVisible();

  // A department's count leads to the member list filtered by it.
  await page.getByRole("listitem", { name: "Sales" }).getByRole("link", { name: /0 members/ }).first().click();
  // The refused "engineering" is still in the new-department form: leaving asks first.
  await page.getByRole("dialog", { name: "Leave without saving?" }).getByRole("button", { name: "Leave this page" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members" && url.searchParams.has("department"));
  await expect(page.getByText("No members match these filters.")).toBeVisible();

  // The changes are in the database, audited.
  const actions = await database.query<{ action: string }>(
    "SELECT action FROM audit_events WHERE tenant_id = $1 AND target_type = 'department' ORDER BY id",
    [tenant.id],
  );
  expect(actions.rows.map((row) => row.action)).toEqual([
    "department.created",
    "department.created",
    "department.created",
    "department.moved",
    "department.renamed",
    "department.deleted",
  ]);
});
