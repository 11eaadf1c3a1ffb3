import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";
import type { E2eFactory } from "./support/factory";

// "Who can do X, and why?" answered in the console: the member's Access tab
// shows where each permission comes from (a parent department's subtree grant
// here), the Why question answers with the path, and the Who has access page
// lists the holders with theirs.

async function signInAsAdmin(page: Page, factory: E2eFactory) {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return tenant;
}

test("an admin sees why a member may write to the repository, and who else may", async ({ page, factory, database }) => {
  const tenant = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const insert = async (sql: string, values: unknown[]) => (await database.query<{ id: string }>(sql, values)).rows[0]!.id;
  const engineering = await insert("INSERT INTO departments (tenant_id, name) VALUES ($1, 'Engineering') RETURNING id", [tenant.id]);
  const platform = await insert("INSERT INTO departments (tenant_id, parent_id, name) VALUES ($1, $2, 'Platform') RETURNING id", [tenant.id, engineering]);
  const role = await insert("INSERT INTO roles (tenant_id, name) VALUES ($1, 'Developer') RETURNING id", [tenant.id]);
  const policy = await insert("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, 'Write repositories', 'repo:write') RETURNING id", [tenant.id]);
  await database.query("INSERT INTO role_policies (role_id, policy_id) VALUES ($1, $2)", [role, policy]);
  await database.query("INSERT INTO department_roles (department_id, role_id, subtree) VALUES ($1, $2, true)", [engineering, role]);
  await database.query("INSERT INTO department_members (department_id, user_id) VALUES ($1, $2)", [platform, member.id]);

  await page.goto(`/console/members/${member.id}?tab=access`);
  await expect(page.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeVisible();
  const origins = page.getByRole("region", { name: "Where access comes from" });
  await expect(origins.getByRole("list", { name: "Paths of repo:write" })).toHaveText("policy repo:write ← role Developer ← department Platform (granted on Engineering, subtree)");
  await expect(page.getByRole("list", { name: "Effective permissions" })).toHaveText("repo:write");

  // A malformed question is refused on its field; a real one is answered with the path.
  await origins.getByLabel("Why does Grace Hopper have…").fill("repo write");
  await origins.getByRole("button", { name: "Explain" }).click();
  await expect(origins.getByLabel("Why does Grace Hopper have…")).toHaveAccessibleDescription(/resource:action/);
  await origins.getByLabel("Why does Grace Hopper have…").fill("repo:write");
  await origins.getByRole("button", { name: "Explain" }).click();
  const answer = origins.getByRole("status", { name: "Answer" });
  await expect(answer).toContainText("Yes: Grace Hopper may repo:write.");
  await expect(answer.getByRole("list", { name: "Paths" })).toContainText("granted on Engineering, subtree");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Who has access" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/access/who-has");
  await page.getByLabel("Permission").fill("repo:write");
  await page.getByRole("button", { name: "Show holders" }).click();
  const holders = page.getByRole("list", { name: "Members who hold it" });
  await expect(holders.getByRole("listitem", { name: "Grace Hopper" })).toContainText("department Platform (granted on Engineering, subtree)");
  await expect(page.getByText("Showing 1 holder.")).toBeVisible();

  // Disabled, she holds nothing: the list says so.
  await database.query("UPDATE users SET state = 'disabled' WHERE id = $1", [member.id]);
  await page.reload();
  await page.getByLabel("Permission").fill("repo:write");
  await page.getByRole("button", { name: "Show holders" }).click();
  await expect(page.getByText("Nobody who can sign in holds it.")).toBeVisible();
});
