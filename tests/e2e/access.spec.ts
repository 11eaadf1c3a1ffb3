import type { Page } from "@playwright/test";
import type pg from "pg";
import { answerConfirmation, expect, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eMember, TE2eTenant } from "./support/factory";

// Roles, groups, policies and applications: the catalogue pages (Roles with
// its tabs, Apps) and a member's Access tab, where they are granted and
// revoked. Every test arranges its own organisation.

async function signInAsAdmin(page: Page, factory: E2eFactory): Promise<{ tenant: TE2eTenant; admin: TE2eMember }> {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
const consoleLink = (page: Page, name: string) => page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true });

async function openCatalogTab(page: Page, name: "Roles" | "Groups" | "Policies"): Promise<void> {
  const link = page.getByRole("navigation", { name: "Access catalogue" }).getByRole("link", { name, exact: true });
  await link.click();
  await expect(link).toHaveAttribute("aria-current", "page");
}

async function auditActions(database: pg.Pool, tenant: TE2eTenant): Promise<string[]> {
  const { rows } = await database.query<{ action: string }>("SELECT action FROM audit_events WHERE tenant_id = $1 ORDER BY id", [tenant.id]);
  return rows.map((row) => row.action);
}

test("an admin builds the catalogue: policies, a role with its policy, a group and an application", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);

  await consoleLink(page, "Roles").click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/roles");
  await expect(page.getByText("No roles yet. Create the first one above.")).toBeVisible();

  // Policies: one that reads members; a permission not written resource:action is refused on its field, before sending.
  await openCatalogTab(page, "Policies");
  await expect(page).toHaveURL((url) => url.searchParams.get("tab") === "policies");
  const newPolicy = page.getByRole("form", { name: "New policy" });
  await newPolicy.getByLabel("Name").fill("Read members");
  await newPolicy.getByLabel("Permission").fill("members:read");
  await newPolicy.getByLabel("Description (optional)").fill("See the directory");
  await newPolicy.getByRole("button", { name: "Create" }).click();
  await expect(notice(page, "Created the policy “Read members”.")).toBeVisible();
  const readMembers = page.getByRole("list", { name: "Policies", exact: true }).getByRole("listitem", { name: "Read members" });
  await expect(readMembers).toContainText("members:read");
  await expect(readMembers).toContainText("See the directory");
  await expect(readMembers).toContainText("0 members");

  await newPolicy.getByLabel("Name").fill("Broken");
  await newPolicy.getByLabel("Permission").fill("members read");
  await newPolicy.getByRole("button", { name: "Create" }).click();
  await expect(newPolicy.getByLabel("Permission")).toHaveAccessibleDescription("Write it as resource:action, e.g. members:read or reports:*");
  await expect(newPolicy.getByLabel("Permission")).toHaveAttribute("aria-invalid", "true");
  // The server's answer: another policy already grants this permission (compared lowercased).
  await newPolicy.getByLabel("Permission").fill("Members:Read");
  await newPolicy.getByRole("button", { name: "Create" }).click();
  await expect(newPolicy.getByLabel("Permission")).toHaveAccessibleDescription("A policy with this permission exists");
  await expect(page.getByRole("list", { name: "Policies", exact: true }).getByRole("listitem")).toHaveCount(1);

  // A role, a duplicate name refused on its field, then the policy attached.
  await openCatalogTab(page, "Roles");
  const newRole = page.getByRole("form", { name: "New role" });
  await newRole.getByLabel("Name").fill("Support");
  await newRole.getByRole("button", { name: "Create" }).click();
  await expect(notice(page, "Created the role “Support”.")).toBeVisible();
  await newRole.getByLabel("Name").fill("support");
  await newRole.getByRole("button", { name: "Create" }).click();
  await expect(newRole.getByLabel("Name")).toHaveAccessibleDescription("A role with this name exists");

  const support = page.getByRole("list", { name: "Roles", exact: true }).getByRole("listitem", { name: "Support" });
  await expect(support).toContainText("No policies");
  await support.getByRole("button", { name: "Policies…" }).click();
  const editor = page.getByRole("form", { name: "Policies of “Support”" });
  await editor.getByRole("checkbox", { name: "members:read" }).check();
  await editor.getByRole("button", { name: "Save policies" }).click();
  await expect(notice(page, "Saved the policies of “Support”: members:read.")).toBeVisible();
  await expect(editor).toHaveCount(0);
  await expect(support.getByRole("list", { name: "Policies of “Support”" })).toHaveText("members:read");

  // A group, renamed inline.
  await openCatalogTab(page, "Groups");
  const newGroup = page.getByRole("form", { name: "New group" });
  await newGroup.getByLabel("Name").fill("Night shift");
  await newGroup.getByRole("button", { name: "Create" }).click();
  await expect(notice(page, "Created the group “Night shift”.")).toBeVisible();
  await page.getByRole("listitem", { name: "Night shift" }).getByRole("button", { name: "Edit" }).click();
  const editGroup = page.getByRole("form", { name: "Edit “Night shift”" });
  await expect(editGroup.getByLabel("Name")).toHaveValue("Night shift");
  await editGroup.getByLabel("Name").fill("Night owls");
  await editGroup.getByRole("button", { name: "Save" }).click();
  await expect(notice(page, "Saved the group “Night owls”.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Groups", exact: true }).getByRole("listitem")).toHaveText([/Night owls/]);

  // An application, on its own page.
  await consoleLink(page, "Apps").click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/apps");
  await expect(page.getByText("No applications yet. Create the first one above.")).toBeVisible();
  const newApp = page.getByRole("form", { name: "New application" });
  await newApp.getByLabel("Name").fill("Helpdesk");
  await newApp.getByRole("button", { name: "Create" }).click();
  await expect(notice(page, "Created the application “Helpdesk”.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Applications", exact: true }).getByRole("listitem", { name: "Helpdesk" })).toBeVisible();

  expect(await auditActions(database, tenant)).toEqual([
    "policy.created",
    "role.created",
    "role.policies_set",
    "group.created",
    "group.updated",
    "application.created",
  ]);
});

test("on a member's Access tab an admin grants and revokes; deleting a role takes it from the member", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  // The catalogue the previous test builds through the pages, arranged directly.
  const insert = async (sql: string, values: unknown[]) => (await database.query<{ id: string }>(sql, values)).rows[0]!.id;
  const policyId = await insert("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, 'Read members', 'members:read') RETURNING id", [tenant.id]);
  const roleId = await insert("INSERT INTO roles (tenant_id, name) VALUES ($1, 'Support') RETURNING id", [tenant.id]);
  await database.query("INSERT INTO role_policies (role_id, policy_id) VALUES ($1, $2)", [roleId, policyId]);
  await insert("INSERT INTO applications (tenant_id, name) VALUES ($1, 'Helpdesk') RETURNING id", [tenant.id]);

  await page.goto(`/console/members/${member.id}?tab=access`);
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  const roles = page.getByRole("region", { name: "Roles", exact: true });
  const applications = page.getByRole("region", { name: "Applications", exact: true });
  const permissions = page.getByRole("region", { name: "Effective permissions", exact: true });
  await expect(roles).toContainText("No roles.");
  await expect(permissions).toContainText("No permissions.");

  await roles.getByRole("button", { name: "Add role…" }).click();
  await roles.getByLabel("Role to add").selectOption({ label: "Support" });
  await roles.getByRole("button", { name: "Add", exact: true }).click();
  await expect(notice(page, "Granted the role “Support”.")).toBeVisible();
  await expect(roles.getByRole("listitem", { name: "Support" })).toBeVisible();

  await applications.getByRole("button", { name: "Add application…" }).click();
  // Nothing chosen: the form says so rather than sending.
  await applications.getByRole("button", { name: "Add", exact: true }).click();
  await expect(applications.getByLabel("Application to add")).toHaveAccessibleDescription("Choose an application");
  await applications.getByLabel("Application to add").selectOption({ label: "Helpdesk" });
  await applications.getByRole("button", { name: "Add", exact: true }).click();
  await expect(notice(page, "Granted the application “Helpdesk”.")).toBeVisible();
  await expect(applications.getByRole("listitem", { name: "Helpdesk" })).toBeVisible();

  // The role's policy makes the member's effective permissions.
  await expect(permissions.getByRole("list", { name: "Effective permissions" })).toHaveText("members:read");

  await applications.getByRole("listitem", { name: "Helpdesk" }).getByRole("button", { name: "Revoke Helpdesk" }).click();
  await answerConfirmation(page, { title: "Revoke the application “Helpdesk” from Ada Lovelace?", confirm: "Revoke" });
  await expect(notice(page, "Revoked the application “Helpdesk”.")).toBeVisible();
  await expect(applications).toContainText("No applications.");

  // Deleting the role says who loses it, then takes it from them.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Roles" }).click();
  const support = page.getByRole("list", { name: "Roles", exact: true }).getByRole("listitem", { name: "Support" });
  await expect(support).toContainText("1 member");
  await support.getByRole("button", { name: "Delete Support" }).click();
  await answerConfirmation(page, { title: "Delete “Support”?", description: "1 member holds it; they lose it.", confirm: "Delete role" });
  await expect(notice(page, "Deleted “Support”; 1 member lost it.")).toBeVisible();
  await expect(page.getByText("No roles yet. Create the first one above.")).toBeVisible();

  await page.goto(`/console/members/${member.id}?tab=access`);
  await expect(roles).toContainText("No roles.");
  await expect(roles.getByRole("listitem")).toHaveCount(0);
  await expect(permissions).toContainText("No permissions.");

  // The member's timeline tells the story.
  await page.getByRole("navigation", { name: "Member sections" }).getByRole("link", { name: "Timeline" }).click();
  // Newest first: the access the role's deletion took, then the revoke before it.
  const latest = page.getByTestId("timeline-event").first();
  await expect(latest).toContainText("Effective access changed");
  await expect(latest).toContainText("Lost role Support, permission members:read");
  await expect(latest).toContainText("Because of: Role deleted");
  await expect(page.getByTestId("timeline-event").nth(1)).toContainText("Application revoked");

  expect(await auditActions(database, tenant)).toEqual([
    "member.role_granted",
    "member.application_granted",
    "member.application_revoked",
    "role.deleted",
    "member.access_changed",
  ]);
  const { rows } = await database.query<{ changes: unknown }>(
    "SELECT changes FROM audit_events WHERE tenant_id = $1 AND action = 'role.deleted'",
    [tenant.id],
  );
  expect(rows[0]!.changes).toEqual({
    name: { before: "Support", after: null },
    grants: { before: 1, after: 0 },
    accessChanges: { before: null, after: { affected: 1, gained: 0, lost: 2 } },
  });
});
