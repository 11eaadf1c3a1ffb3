import type { Browser, Page, TestInfo } from "@playwright/test";
import { answerConfirmation, expect, openSettled, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eMember, TE2eTenant } from "./support/factory";

// Issue 11 item 10: repeated row buttons say which row they act on; the
// console asks "are you sure?" with its own dialog (keyboard-safe, Escape
// cancels, focus returns), never window.confirm; no field's name hides inside
// another's on the same form.

const PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1";
const credentials = (tenant: TE2eTenant, member: TE2eMember) => ({ organisation: tenant.slug, login: member.username, password: member.password });

async function signInAdmin(page: Page, factory: E2eFactory) {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

/** Signs `member` in from a browser of its own (a phone's user agent, so its session reads differently). */
async function signInElsewhere(browser: Browser, testInfo: TestInfo, tenant: TE2eTenant, member: TE2eMember, userAgent?: string) {
  const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL, userAgent });
  const other = await context.newPage();
  await signIn(other, credentials(tenant, member));
  await expect(other).toHaveURL((url) => url.pathname === "/me");
  return context;
}

/** The accessible names of a form's fields, from the same tree a screen reader gets. */
async function fieldNames(page: Page, scope = page.locator("main")): Promise<string[]> {
  const snapshot = await scope.ariaSnapshot();
  return [...snapshot.matchAll(/- (?:textbox|combobox|checkbox|radio|spinbutton|searchbox)(?: "([^"]*)")?/g)].map((match) => match[1] ?? "");
}

/** No field is nameless, and none's name hides inside another's: "Department" inside "Main department" would. */
function expectDistinctNames(names: string[]) {
  expect(names.length).toBeGreaterThan(0);
  for (const name of names) {
    expect(name, "a field without a name").not.toBe("");
    const others = names.filter((other) => other !== name && other.toLowerCase().includes(name.toLowerCase()));
    expect(others, `fields whose name contains “${name}”`).toEqual([]);
    expect(names.filter((other) => other === name), `fields named “${name}”`).toHaveLength(1);
  }
}

test("each “End session” names its session; the console's confirmation keeps focus, cancels on Escape, returns focus, then ends the session", async ({ page, browser, factory }, testInfo) => {
  const { tenant } = await signInAdmin(page, factory);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const laptop = await signInElsewhere(browser, testInfo, tenant, ada);
  const phone = await signInElsewhere(browser, testInfo, tenant, ada, PHONE);
  try {
    await page.goto(`/console/members/${ada.id}?tab=sessions`);
    const sessions = page.getByRole("list", { name: "Open sessions" });
    const endButtons = sessions.getByRole("button", { name: /^End session/ });
    await expect(endButtons).toHaveCount(2);
    const names = await endButtons.evaluateAll((buttons) => buttons.map((button) => button.textContent?.replace(/\s+/g, " ").trim()));
    for (const name of names) expect(name).toMatch(/^End session on .+ on .+, signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(new Set(names).size).toBe(2);
    await expect(sessions.getByRole("button", { name: /^End session on Safari on iOS/ })).toHaveCount(1);

    // Keyboard: the question opens on Cancel (the safe answer), Tab stays inside, Escape cancels.
    const phoneRow = sessions.getByRole("button", { name: /^End session on Safari on iOS/ });
    await phoneRow.focus();
    await page.keyboard.press("Enter");
    const question = page.getByRole("alertdialog", { name: "End Ada Lovelace's session on Safari on iOS?" });
    await expect(question).toBeVisible();
    await expect(question).toHaveAccessibleDescription("That browser is signed out on its next request.");
    await expect(question.getByRole("button", { name: "Cancel" })).toBeFocused();
    for (let press = 0; press < 4; press += 1) {
      await page.keyboard.press("Tab");
      expect(await question.evaluate((dialog) => dialog.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press("Escape");
    await expect(question).toHaveCount(0);
    await expect(phoneRow).toBeFocused();
    await expect(endButtons).toHaveCount(2);

    // Confirmed: that one session ends, the other stays.
    await phoneRow.click();
    await expect(question.getByRole("button", { name: "End session" })).toHaveClass(/bg-red-700/);
    await answerConfirmation(page, { title: "End Ada Lovelace's session on Safari on iOS?", confirm: "End session" });
    await expect(page.getByRole("status").filter({ hasText: "Ended the session on Safari on iOS." })).toBeVisible();
    await expect(endButtons).toHaveCount(1);
  } finally {
    await laptop.close();
    await phone.close();
  }
});

test("a member's own “Sign out” and “This wasn't me” buttons name their row; “Sign out all other sessions” asks in the console's dialog", async ({ page, browser, factory }, testInfo) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const phone = await signInElsewhere(browser, testInfo, tenant, member, PHONE);
  try {
    await signIn(page, credentials(tenant, member));
    await expect(page).toHaveURL((url) => url.pathname === "/me");
    await openSettled(page, "/me/security");
    const signOut = page.getByRole("list", { name: "Your sessions" }).getByRole("button", { name: /^Sign out/ });
    await expect(signOut).toHaveCount(1);
    await expect(signOut).toHaveAccessibleName(/^Sign out on Safari on iOS, signed in \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    const reports = page.getByRole("list", { name: "Your sign-in history" }).getByRole("button", { name: /^This wasn't me/ });
    // Two sign-ins: the phone's can be reported; this browser's own is marked, with nothing to report.
    await expect(reports).toHaveCount(1);
    await expect(page.getByRole("list", { name: "Your sign-in history" }).getByText("This browser")).toHaveCount(1);
    const reportNames = await reports.evaluateAll((buttons) => buttons.map((button) => button.textContent?.replace(/\s+/g, " ").trim()));
    for (const name of reportNames) expect(name).toMatch(/^This wasn't me: \d{4}-\d\d-\d\d \d\d:\d\d UTC on .+ on .+/);

    // "Sign out all other sessions" asks first; Cancel keeps them.
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    const question = page.getByRole("alertdialog", { name: "Sign out every other browser and device?" });
    await question.getByRole("button", { name: "Cancel" }).click();
    await expect(question).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Sign out all other sessions" })).toBeFocused();
    await expect(signOut).toHaveCount(1);
    await page.getByRole("button", { name: "Sign out all other sessions" }).click();
    await answerConfirmation(page, { title: "Sign out every other browser and device?", description: "This one stays signed in.", confirm: "Sign out other sessions" });
    await expect(signOut).toHaveCount(0);
  } finally {
    await phone.close();
  }
});

test("no form field's name hides inside another's: member form, Organisation tab, members filter", async ({ page, factory }) => {
  const { tenant } = await signInAdmin(page, factory);
  const sales = await factory.createDepartment(tenant, "Sales");
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await factory.addToDepartment(ada, sales, { main: true });
  await factory.createDepartment(tenant, "Engineering");

  await openSettled(page, "/console/members/new");
  await expect(page.getByLabel("Mobile number")).toHaveCount(1);
  await expect(page.getByLabel("Phone number country")).toHaveCount(1);
  expectDistinctNames(await fieldNames(page));

  await page.goto(`/console/members/${ada.id}?tab=organisation`);
  await page.getByRole("button", { name: "Add to a department…" }).click();
  const join = page.getByRole("form", { name: "Add to a department" });
  await expect(join.getByLabel("Department to join")).toBeVisible();
  expectDistinctNames(await fieldNames(page, join));

  await openSettled(page, "/console/members");
  await page.getByLabel("Select Ada Lovelace").check();
  await page.getByRole("button", { name: "Transfer to department…" }).click();
  await expect(page.getByLabel("Destination department")).toBeVisible();
  await expect(page.getByLabel("Filter by department")).toHaveCount(1);
  expectDistinctNames(await fieldNames(page));
});
