import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";

// Issue 12 item 7: the permission heatmap shows a seeded organisation; a cell
// opens its holders with the paths that give them the permission; on a phone
// the page does not scroll sideways (the chart scrolls inside its frame).

const PATH = "policy repo:write ← role Developer ← department Platform (granted on Engineering, subtree)";

async function screenshot(page: Page, path: string): Promise<string> {
  await page.screenshot({ path, fullPage: true });
  return path;
}

const cell = (page: Page, name: string) => page.getByRole("button", { name, exact: true });

test("the heatmap shows the organisation and a cell lists its holders with their paths", async ({ page, factory, database }, testInfo) => {
  const tenant = await factory.createTenant("Heatmap Organisation");
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const platform = await factory.createDepartment(tenant, "Platform", engineering);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const linus = await factory.createMember(tenant, { fullName: "Linus Torvalds" });
  for (const member of [ada, grace, linus]) await factory.addToDepartment(member, platform, { main: true });
  await factory.addToDepartment(admin, engineering, { main: true });
  const policy = async (permission: string) =>
    (await database.query<{ id: string }>("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, $2, $2) RETURNING id", [tenant.id, permission])).rows[0]!.id;
  const write = await policy("repo:write");
  const billing = await policy("billing:read");
  const role = (await database.query<{ id: string }>("INSERT INTO roles (tenant_id, name) VALUES ($1, 'Developer') RETURNING id", [tenant.id])).rows[0]!.id;
  await database.query("INSERT INTO role_policies (role_id, policy_id) VALUES ($1, $2)", [role, write]);
  await database.query("INSERT INTO department_roles (department_id, role_id, subtree) VALUES ($1, $2, true)", [engineering.id, role]);
  await database.query("INSERT INTO member_policies (user_id, policy_id) VALUES ($1, $2)", [grace.id, billing]);

  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Permission heatmap" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Permission heatmap" })).toBeVisible();

  await expect(cell(page, "Engineering, repo:write: 1 of 1 member (100%)")).toBeVisible();
  await expect(cell(page, "Engineering / Platform, billing:read: 1 of 3 members (33%)")).toBeVisible();
  await expect(cell(page, "Engineering, billing:read: 0 of 1 member (0%)")).toBeVisible();
  const platformWrite = cell(page, "Engineering / Platform, repo:write: 3 of 3 members (100%)");
  await expect(platformWrite).toContainText("3");
  await platformWrite.click();

  const panel = page.getByRole("region", { name: "Engineering / Platform · repo:write" });
  await expect(panel.getByRole("heading")).toBeFocused();
  await expect(panel.getByRole("link")).toHaveText(["Ada Lovelace", "Grace Hopper", "Linus Torvalds"]);
  await expect(panel.getByText(PATH)).toHaveCount(3);
  // For a person to look at (never compared pixel by pixel).
  await testInfo.attach("heatmap with a cell open", { path: await screenshot(page, testInfo.outputPath("heatmap.png")), contentType: "image/png" });

  // The keyboard reaches every cell: from the open cell, left is Platform's billing:read; Enter opens it.
  await platformWrite.focus();
  await page.keyboard.press("ArrowLeft");
  await expect(cell(page, "Engineering / Platform, billing:read: 1 of 3 members (33%)")).toBeFocused();
  await page.keyboard.press("Enter");
  const billingPanel = page.getByRole("region", { name: "Engineering / Platform · billing:read" });
  await expect(billingPanel.getByRole("link")).toHaveText(["Grace Hopper"]);
  await expect(billingPanel.getByText("policy billing:read ← granted directly")).toBeVisible();

  // Filters, then the roles view.
  await page.getByLabel("Permission contains").fill("billing");
  await expect(cell(page, "Engineering / Platform, repo:write: 3 of 3 members (100%)")).toHaveCount(0);
  await page.getByLabel("Permission contains").fill("");
  await page.getByText("Roles × permissions").click();
  await expect(page.getByRole("img", { name: "Developer, repo:write: carried by the role, which 4 members hold", exact: true })).toBeVisible();
  await expect(page.getByRole("img", { name: "Developer, billing:read: not carried", exact: true })).toBeVisible();
});

test("on a phone the heatmap page does not scroll sideways", async ({ page, factory, database }, testInfo) => {
  const tenant = await factory.createTenant("Narrow Organisation");
  const admin = await factory.createMember(tenant, { role: "admin" });
  const department = await factory.createDepartment(tenant, "Research and Development Laboratories");
  await factory.addToDepartment(admin, department, { main: true });
  for (let index = 0; index < 30; index += 1) {
    await database.query("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, $2, $2)", [tenant.id, `resource${index}:administer-everything`]);
  }
  await page.setViewportSize({ width: 390, height: 844 });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.goto("/console/access/heatmap");
  await expect(page.getByRole("button", { name: /^Research and Development Laboratories, resource0:administer-everything: 0 of 1 member/ })).toBeVisible();
  await testInfo.attach("heatmap on a phone", { path: await screenshot(page, testInfo.outputPath("heatmap-phone.png")), contentType: "image/png" });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth).toBeLessThanOrEqual(390);
});

test("1,000 departments × 500 permissions: only the cells in view are drawn, and the far corner is reachable", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant("Large Organisation");
  const admin = await factory.createMember(tenant, { role: "admin" });
  // The chart reads the counts table only: a dense organisation is seeded there directly (every cell held).
  await database.query("INSERT INTO departments (tenant_id, name) SELECT $1, 'Department ' || lpad(g::text, 4, '0') FROM generate_series(1, 999) g", [tenant.id]);
  await database.query("INSERT INTO policies (tenant_id, name, permission) SELECT $1, 'Policy ' || g, 'resource' || lpad(g::text, 3, '0') || ':act' FROM generate_series(1, 500) g", [tenant.id]);
  await database.query(
    `INSERT INTO department_access_counts (department_id, policy_id, holders)
     SELECT d.id, 0, 100 FROM departments d WHERE d.tenant_id = $1
     UNION ALL
     SELECT d.id, p.id, 1 + (d.id + p.id) % 100 FROM departments d CROSS JOIN policies p WHERE d.tenant_id = $1 AND p.tenant_id = $1`,
    [tenant.id],
  );
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.goto("/console/access/heatmap");
  await expect(page.getByText("1,000 rows × 500 columns")).toBeVisible({ timeout: 30_000 });
  const drawn = await page.locator("[data-cell]").count();
  expect(drawn).toBeGreaterThan(0);
  expect(drawn).toBeLessThan(2_000);

  // Keyboard: Ctrl+End goes to the last cell, scrolling the chart to it.
  const first = page.locator('[data-cell="0:0"]');
  await first.focus();
  await page.keyboard.press("Control+End");
  const last = page.getByRole("button", { name: /^Department 0999, resource500:act: \d+ of 100 members \(\d+%\)$/ });
  await expect(last).toBeFocused();
  await expect(last).toBeInViewport();
  expect(await page.locator("[data-cell]").count()).toBeLessThan(2_000);
});
