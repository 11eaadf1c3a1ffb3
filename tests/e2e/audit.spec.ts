import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";
import { chooseLifecycleAction } from "./support/lifecycle-actions";

// The organisation's audit trail: an admin's action appears at once, with who
// did it, to whom, the values, and the high-risk flag; the filters narrow it.

const auditEvents = (page: Page) => page.getByRole("list", { name: "Audit events" }).getByTestId("audit-event");

test("an admin locks a member and finds it, flagged high-risk, in the audit trail", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto(`/console/members/${grace.id}`);
  await chooseLifecycleAction(page, "Lock…");
  const dialog = page.getByRole("dialog", { name: "Lock Grace Hopper?" });
  await dialog.getByLabel("Reason").fill("Laptop stolen");
  await dialog.getByRole("button", { name: "Lock Grace Hopper" }).click();
  await expect(dialog).toHaveCount(0);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/audit");
  const lock = auditEvents(page).filter({ hasText: "member.lock" });
  await expect(lock).toHaveCount(1);
  await expect(lock).toContainText("High risk");
  await expect(lock).toContainText("Grace Hopper");
  await expect(lock).toContainText("by Zoe Administrator");
  await expect(lock).toContainText("Laptop stolen");
  await expect(lock.getByRole("link", { name: "Grace Hopper" })).toHaveAttribute("href", `/console/members/${grace.id}`);

  await page.getByLabel("High-risk only").check();
  await expect(auditEvents(page).first()).toContainText("High risk");
  await page.getByLabel("Records").selectOption({ label: "Departments" });
  await expect(page.getByText("No events match these filters.")).toBeVisible();
  await page.getByLabel("Records").selectOption({ label: "Members" });
  await page.getByLabel("High-risk only").uncheck();
  await page.getByLabel("Action starts with").fill("member.lo");
  await expect(auditEvents(page)).toHaveCount(1);
});

test("a member who is not an admin cannot open the audit trail", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await page.goto("/console/audit");
  await expect(page).not.toHaveURL((url) => url.pathname === "/console/audit");
});
