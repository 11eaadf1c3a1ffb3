import { expect, signIn, test } from "./support/fixtures";

// Issue 16, item 1: an owner creates an API token (a field error first), sees
// it once, and it is listed by its hint only; a plain admin cannot create one
// but revokes it, after confirming, and it reads "Revoked".

test("an owner creates an API token shown once; an admin revokes it", async ({ page, factory, browser }, testInfo) => {
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto("/console/settings/api-tokens");
  await expect(page.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  await expect(page.getByText("No API token yet")).toBeVisible();

  const form = page.getByRole("form", { name: "Create a token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert")).toContainText("Name the token after what uses it");
  await form.getByLabel("Name").fill("Workday");
  await form.getByLabel("Expires").selectOption({ label: "In 90 days" });
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("dialog", { name: 'API token "Workday" created' });
  await expect(shown).toBeVisible();
  const token = await shown.getByLabel("Token").inputValue();
  expect(token).toMatch(/^tnr_at_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(shown).toBeHidden();

  const list = page.getByRole("list", { name: "API tokens" });
  await expect(list.getByRole("listitem")).toHaveCount(1);
  await expect(list).toContainText(`Workday (…${token.slice(-4)})`);
  await expect(list).toContainText("Scopes: scim");
  await expect(list).toContainText("Last used: never");
  expect(await page.content()).not.toContain(token);

  const adminContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const adminPage = await adminContext.newPage();
  await signIn(adminPage, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(adminPage).toHaveURL((url) => url.pathname === "/console");
  await adminPage.goto("/console/settings/api-tokens");
  await expect(adminPage.getByRole("heading", { level: 1, name: "API tokens" })).toBeVisible();
  await expect(adminPage.getByRole("form", { name: "Create a token" })).toHaveCount(0);
  await adminPage.getByRole("button", { name: "Revoke Workday" }).click();
  const confirm = adminPage.getByRole("alertdialog", { name: 'Revoke "Workday"?' });
  await confirm.getByRole("button", { name: "Revoke token" }).click();
  await expect(adminPage.getByRole("status")).toContainText('Token "Workday" revoked.');
  await expect(adminPage.getByRole("list", { name: "API tokens" })).toContainText("Revoked");
  await adminContext.close();
});
