import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";
import { newPassword } from "./support/factory";

// Issue 11 items 1 and 18: a long form never loses an admin's work (the
// onboarding wizard keeps a draft; every long form warns before a link takes
// the admin away), and a member can be onboarded by mobile number alone.

test.setTimeout(120_000);

const stepHeading = (page: Page, text: string) => page.getByRole("heading", { level: 2, name: text });
const sidebarLink = (page: Page, name: string) => page.getByRole("navigation", { name: "Console" }).getByRole("link", { name, exact: true });
const leaveDialog = (page: Page) => page.getByRole("dialog", { name: "Leave without saving?" });

async function fillAccount(page: Page, account: { username: string; email?: string; mobile?: string }) {
  await page.getByLabel("First name").fill("Ada");
  await page.getByLabel("Last name").fill("Lovelace");
  await page.getByLabel("Username").fill(account.username);
  if (account.email) await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Phone number country").selectOption("GB");
  if (account.mobile) await page.getByLabel("Mobile number", { exact: true }).fill(account.mobile);
}

test("the wizard keeps what was typed: its Apps link opens beside it, and leaving through the sidebar warns, then Back finds the draft", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await factory.createDepartment(tenant, "Engineering");
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.goto("/console/members/onboard");
  const username = `ada-${tenant.slug}`;
  await fillAccount(page, { username, email: `ada@${tenant.slug}.test`, mobile: "07911 123456" });
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page, "Step 2 of 5: Departments")).toBeVisible();
  await page.getByRole("checkbox", { name: "Engineering", exact: true }).check();
  await page.getByRole("button", { name: "Next" }).click();
  await expect(stepHeading(page, "Step 3 of 5: Applications")).toBeVisible();

  // The organisation has no apps yet: the link opens the Apps page in a new tab; the wizard stays.
  const [apps] = await Promise.all([page.waitForEvent("popup"), page.getByRole("link", { name: /Create them on the Apps page/ }).click()]);
  await expect(apps).toHaveURL((url) => url.pathname === "/console/apps");
  await apps.close();
  await expect(stepHeading(page, "Step 3 of 5: Applications")).toBeVisible();

  // Leaving in this tab asks first; staying keeps everything.
  await sidebarLink(page, "Apps").click();
  await expect(leaveDialog(page)).toBeVisible();
  await leaveDialog(page).getByRole("button", { name: "Stay on this page" }).click();
  await expect(leaveDialog(page)).toHaveCount(0);
  await expect(page).toHaveURL((url) => url.pathname === "/console/members/onboard");
  await expect(stepHeading(page, "Step 3 of 5: Applications")).toBeVisible();

  // Leaving anyway, then Back: the draft is restored where the admin was.
  await sidebarLink(page, "Apps").click();
  await leaveDialog(page).getByRole("button", { name: "Leave this page" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/apps");
  await page.goBack();
  await expect(page.getByRole("status").filter({ hasText: "Your unfinished onboarding was restored" })).toBeVisible();
  await expect(stepHeading(page, "Step 3 of 5: Applications")).toBeVisible();
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.getByRole("checkbox", { name: "Engineering", exact: true })).toBeChecked();
  await page.getByRole("button", { name: "Back" }).click();
  await expect(page.getByLabel("First name")).toHaveValue("Ada");
  await expect(page.getByLabel("Username")).toHaveValue(username);

  // Discarding starts again from nothing, and a fresh visit has no draft.
  await page.getByRole("button", { name: "Discard the draft and start again" }).click();
  await expect(page.getByLabel("First name")).toHaveValue("");
  await page.goto("/console/members/onboard");
  await expect(page.getByLabel("First name")).toHaveValue("");
  await expect(page.getByText("Your unfinished onboarding was restored")).toHaveCount(0);
});

test("a member edit with unsaved changes warns before a sidebar link leaves it; Stay keeps the entries", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  const member = await factory.createMember(tenant);
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.goto(`/console/members/${member.id}/edit`);
  // Untouched, a link just leaves.
  await sidebarLink(page, "Departments").click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/departments");
  await page.goto(`/console/members/${member.id}/edit`);

  await page.getByLabel("Title (optional)").fill("Chief of everything");
  await sidebarLink(page, "Departments").click();
  await expect(leaveDialog(page)).toBeVisible();
  await expect(leaveDialog(page)).toContainText("not saved");
  await leaveDialog(page).getByRole("button", { name: "Stay on this page" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/console/members/${member.id}/edit`);
  await expect(page.getByLabel("Title (optional)")).toHaveValue("Chief of everything");

  await sidebarLink(page, "Departments").click();
  await leaveDialog(page).getByRole("button", { name: "Leave this page" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/departments");
});

test("the wizard onboards a member by mobile number alone: the admin gets the invitation link, which sets the password for a sign-in by mobile", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.goto("/console/members/onboard");
  const username = `mo-${tenant.slug}`;

  // Neither email nor mobile: both fields say one of them is needed.
  await fillAccount(page, { username });
  await page.getByRole("button", { name: "Next" }).click();
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription(/Enter an email address or a mobile number/);
  await expect(page.getByLabel("Mobile number", { exact: true })).toHaveAccessibleDescription(/Enter an email address or a mobile number/);

  await page.getByLabel("Mobile number", { exact: true }).fill("07911 123457");
  for (const next of ["Step 2 of 5: Departments", "Step 3 of 5: Applications", "Step 4 of 5: Roles and groups", "Step 5 of 5: Review"]) {
    await page.getByRole("button", { name: "Next" }).click();
    await expect(stepHeading(page, next)).toBeVisible();
  }
  await page.getByRole("button", { name: "Create member" }).click();

  await expect(page.getByText("Ada Lovelace has no email address, so no invitation mail was sent.")).toBeVisible();
  const link = await page.getByLabel("Invitation link").inputValue();
  expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
  const stored = await factory.memberByUsername(username);
  expect(stored).not.toBeNull();
  await page.getByRole("link", { name: "Open Ada Lovelace's page" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  await expect(page.getByTestId("invitation-status")).toContainText("No email address: the link was shown to an admin to hand over");

  // The member, handed the link, chooses a password and signs in with the mobile number.
  await page.context().clearCookies();
  await page.goto(new URL(link).pathname);
  const password = newPassword();
  await page.getByLabel("New password").fill(password);
  await page.getByLabel("Repeat the password").fill(password);
  await page.getByRole("button", { name: "Set password" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  await page.getByLabel("Username or email").fill("+447911123457");
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/me");
});
