import type { Browser, Page, TestInfo } from "@playwright/test";
import { expect, formAlert, openSettled, signIn, test } from "./support/fixtures";
import { newPassword, type TE2eMember, type TE2eTenant } from "./support/factory";

// Issue 11, bugs 3 to 5: a screen already open must not undo, keep or hide what just happened — a quick click on a
// search result opens the member, a password change's signed-out sessions leave the list at once, and a member
// disabled while a page is open is told what the sign-in page would tell them.

const credentials = (tenant: TE2eTenant, member: TE2eMember, password = member.password) => ({ organisation: tenant.slug, login: member.username, password });
const mySessions = (page: Page) => page.getByRole("list", { name: "Your sessions" }).getByTestId("my-session");

/** The member signed in on a second browser (a phone), and on `page` at /me/security listing both sessions. */
async function signedInTwice(page: Page, browser: Browser, testInfo: TestInfo, tenant: TE2eTenant, member: TE2eMember) {
  const phone = await browser.newContext({ baseURL: testInfo.project.use.baseURL, userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1" });
  const other = await phone.newPage();
  await signIn(other, credentials(tenant, member));
  await expect(other).toHaveURL((url) => url.pathname === "/me");
  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSettled(page, "/me/security");
  await expect(mySessions(page)).toHaveCount(2);
  return phone;
}

test("a result clicked right after typing in the member search opens and stays open", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await factory.createMember(tenant, { fullName: "Grace Hopper" });
  await signIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await openSettled(page, "/console/members");
  // A member page that takes a moment to arrive (a loaded server, a phone network): the search's debounce fires first.
  await page.route(/\/console\/members\/\d+/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 800));
    await route.continue();
  });

  await page.getByLabel("Search members").fill("Gr");
  await page.getByRole("table", { name: "Members" }).getByRole("link", { name: "Ada Lovelace", exact: true }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
  await expect(page).toHaveURL((url) => /^\/console\/members\/\d+$/.test(url.pathname));
  // Well past the debounce and the slow answer: nothing pulls the admin back to the list.
  await page.waitForTimeout(1_500);
  await expect(page).toHaveURL((url) => /^\/console\/members\/\d+$/.test(url.pathname));
  await expect(page.getByRole("heading", { level: 1, name: "Ada Lovelace" })).toBeVisible();
});

test("after a password change the other sessions leave the list at once, without a reload", async ({ page, browser, factory }, testInfo) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const phone = await signedInTwice(page, browser, testInfo, tenant, member);
  try {
    const fresh = newPassword();
    await page.getByLabel("Current password").fill(member.password);
    await page.getByLabel("New password", { exact: true }).fill(fresh);
    await page.getByLabel("Repeat the new password").fill(fresh);
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Every other session was signed out." })).toBeVisible();
    await expect(mySessions(page)).toHaveCount(1);
    await expect(mySessions(page)).toContainText("this browser");
  } finally {
    await phone.close();
  }
});

test("a member disabled while the page is open is told what the sign-in page says", async ({ page, browser, factory }, testInfo) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const phone = await signedInTwice(page, browser, testInfo, tenant, member);
  try {
    await factory.setEnabled(member, false);
    await mySessions(page).filter({ hasNotText: "this browser" }).getByRole("button", { name: "Sign out" }).click();
    const blocked = "This account can no longer sign in. Contact your administrator.";
    await expect(formAlert(page, blocked)).toBeVisible();
    // The sign-in page, where the next page load lands, says the same.
    await page.reload();
    await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "account_blocked");
    await expect(page.getByText(blocked)).toBeVisible();
  } finally {
    await phone.close();
  }
});
