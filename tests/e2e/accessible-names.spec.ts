import type { Page } from "@playwright/test";
import { expect, openSettled, signIn, test } from "./support/fixtures";
import type { E2eFactory } from "./support/factory";
import { chooseLifecycleAction } from "./support/lifecycle-actions";

// Issue 11 item 10: names that start with what is seen, and focus where a
// keyboard user expects it (a skip link first, the password in "Confirm it's you").

async function signInAdmin(page: Page, factory: E2eFactory) {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

async function expectSkipLinkFirst(page: Page) {
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to main content" });
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("main")).toBeFocused();
}

test("the first Tab on a console page and on /me reaches “Skip to main content”, which moves focus to the main content", async ({ page, factory }) => {
  await signInAdmin(page, factory);
  await openSettled(page, "/console/members");
  await expectSkipLinkFirst(page);
  await openSettled(page, "/me");
  await expectSkipLinkFirst(page);
});

test("“Confirm it's you” opens with the password field focused; the recycle bin's button is named from its visible text", async ({ page, factory, database }) => {
  const { tenant, admin } = await signInAdmin(page, factory);
  const alan = await factory.createMember(tenant, { fullName: "Alan Turing" });
  await openSettled(page, `/console/members/${alan.id}`);
  await chooseLifecycleAction(page, "Delete…");
  const deleting = page.getByRole("dialog", { name: "Delete Alan Turing?" });
  await deleting.getByRole("button", { name: "Delete Alan Turing" }).click();
  await expect(deleting).toHaveCount(0);

  await database.query("UPDATE sessions SET stepped_up_at = now() - interval '6 minutes' WHERE user_id = $1", [admin.id]);
  await openSettled(page, "/console/members/recycle-bin");
  const bin = page.getByRole("table", { name: "Deleted members" });
  await expect(bin.getByRole("button", { name: /^Delete permanently/ })).toHaveAccessibleName("Delete permanently: Alan Turing");

  await bin.getByRole("button", { name: "Restore Alan Turing" }).click();
  const stepUp = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(stepUp.getByLabel("Your password")).toBeFocused();
  await page.keyboard.type(admin.password);
  await page.keyboard.press("Enter");
  await expect(stepUp).toBeHidden();
  await expect(page.getByText("The recycle bin is empty.")).toBeVisible();
});

test("a read-only field's term reads its name, then “(read-only)”, with spaces between", async ({ page, factory }) => {
  const { tenant } = await signInAdmin(page, factory);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await openSettled(page, `/console/members/${ada.id}`);
  const lockedTerm = page.locator("dt:has(+ dd[data-testid='member-locked'])");
  // What assistive tech reads: the text, without what is hidden from it.
  const spoken = await lockedTerm.evaluate((term) => {
    const copy = term.cloneNode(true) as HTMLElement;
    copy.querySelectorAll("[aria-hidden='true']").forEach((hidden) => hidden.remove());
    return copy.textContent?.replace(/\s+/g, " ").trim();
  });
  expect(spoken).toBe("Locked locked (read-only)");
  await expect(lockedTerm.getByText("read-only", { exact: true })).toHaveAttribute("aria-hidden", "true");
});
