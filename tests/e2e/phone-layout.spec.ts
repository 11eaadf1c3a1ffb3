import type { Locator, Page, TestInfo } from "@playwright/test";
import { expect, openSettled, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eMember, TE2eTenant } from "./support/factory";
import { chooseLifecycleAction, lifecycleActions } from "./support/lifecycle-actions";

// Issue 11 item 8: every console page works on a phone (390×844) without
// sideways scrolling, through a menu button and a navigation drawer; item 19:
// at 1366×900 the members table shows every column and the recycle bin keeps
// the member views' tabs. Screenshots are attached to the report for a person
// to look at, never compared pixel by pixel (fonts differ between machines).

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };

type TOrganisation = { tenant: TE2eTenant; admin: TE2eMember; ada: TE2eMember };

/** A small organisation with the long values that used to widen pages: a long name, address and department. */
async function signInToOrganisation(page: Page, factory: E2eFactory): Promise<TOrganisation> {
  const tenant = await factory.createTenant("Northwind Logistics and Distribution");
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  const ada = await factory.createMember(tenant, {
    fullName: "Ada Augusta King-Noel, Countess of Lovelace",
    email: `ada.augusta.king-noel.lovelace@${tenant.slug}.analytical-engine.test`,
  });
  const research = await factory.createDepartment(tenant, "Research and Development Laboratories");
  await factory.addToDepartment(ada, research, { main: true });
  await factory.addToDepartment(admin, research, { main: true });
  await factory.grantNew(tenant, ada, "application", "Payroll and Expenses");
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin, ada };
}

async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `${new URL(page.url()).pathname} is ${scrollWidth} px wide`).toBeLessThanOrEqual(width);
}

/** The element is wholly inside the viewport's width (not clipped at either side). */
async function expectInsideViewport(page: Page, locator: Locator): Promise<void> {
  const box = await locator.boundingBox();
  const viewport = page.viewportSize();
  expect(box, "the element is laid out").not.toBeNull();
  const name = (await locator.textContent())?.trim();
  expect(box!.x, `${name} starts inside the screen`).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width, `${name} ends inside the screen`).toBeLessThanOrEqual(viewport!.width);
}

/** Every match of the locator is inside the viewport's width. */
async function expectAllInsideViewport(page: Page, locator: Locator): Promise<void> {
  const count = await locator.count();
  expect(count).toBeGreaterThan(0);
  for (let index = 0; index < count; index++) await expectInsideViewport(page, locator.nth(index));
}

/** The text is shown whole: its element is not narrower than its content (no "Load U"). */
async function expectNotCut(locator: Locator): Promise<void> {
  const cut = await locator.evaluate((element) => element.scrollWidth > element.clientWidth + 1);
  expect(cut, `${await locator.textContent()} is shown whole`).toBe(false);
}

/** For the failure message: the outermost elements that reach past the screen's right edge. */
function widestElements(page: Page, width: number): Promise<string[]> {
  return page.evaluate((limit) => {
    const past = (element: Element | null) => element !== null && element.getBoundingClientRect().right > limit + 1;
    // Outermost ones, and positioned ones (which can escape a scroll box that is not their containing block).
    const positioned = (element: Element) => ["absolute", "fixed"].includes(getComputedStyle(element).position);
    return [...document.querySelectorAll("body *")]
      .filter((element) => past(element) && (!past(element.parentElement) || positioned(element)))
      .slice(0, 5)
      .map((element) => `<${element.tagName.toLowerCase()} class="${element.getAttribute("class") ?? ""}"> ${element.textContent?.slice(0, 30) ?? ""}`);
  }, width);
}

async function attachScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await testInfo.attach(name, { body: await page.screenshot({ fullPage: true }), contentType: "image/png" });
}

const menuButton = (page: Page) => page.getByRole("button", { name: "Menu", exact: true });
const drawer = (page: Page) => page.getByRole("dialog", { name: "Menu" });

test.describe("on a phone (390×844)", () => {
  test.use({ viewport: PHONE });

  test("the members list fits the screen, and the menu button opens a drawer whose links navigate", async ({ page, factory }, testInfo) => {
    const { ada } = await signInToOrganisation(page, factory);
    await openSettled(page, "/console/members");
    const table = page.getByRole("table", { name: "Members" });
    await expect(table.getByRole("link", { name: ada.fullName, exact: true })).toBeVisible();
    await expectNoSidewaysScroll(page, PHONE.width);
    // The sidebar gives way to the menu button.
    await expect(page.getByTestId("tenant-name")).toBeHidden();
    await expectInsideViewport(page, menuButton(page));
    for (const name of ["Import", "Onboard", "New member"]) await expectInsideViewport(page, page.getByRole("link", { name, exact: true }));
    await expectAllInsideViewport(page, page.getByRole("navigation", { name: "Member views" }).getByRole("link"));
    // The name column is whole, not cut at the screen's edge.
    const name = table.getByRole("link", { name: ada.fullName, exact: true });
    await expectInsideViewport(page, name);
    await expectNotCut(name);
    await attachScreenshot(page, testInfo, "members-list-phone");
    // The table scrolls inside its own box, the name staying in place, to its last column.
    await table.evaluate((element) => element.parentElement!.scrollTo({ left: element.scrollWidth }));
    await expectInsideViewport(page, table.getByRole("columnheader", { name: "Created" }));
    await expectInsideViewport(page, name);
    await expectNoSidewaysScroll(page, PHONE.width);
    // The bulk bar that a selection brings fits too.
    await table.getByRole("checkbox", { name: `Select ${ada.fullName}` }).check();
    await expect(page.getByText("1 selected", { exact: true })).toBeVisible();
    await expectNoSidewaysScroll(page, PHONE.width);
    await attachScreenshot(page, testInfo, "members-bulk-bar-phone");
    await table.getByRole("checkbox", { name: `Select ${ada.fullName}` }).uncheck();

    // The drawer: announced as expanded, focus inside, Escape closes it and focus returns to the button.
    const button = menuButton(page);
    await expect(button).toHaveAttribute("aria-expanded", "false");
    const controls = await button.getAttribute("aria-controls");
    expect(controls).toBeTruthy();
    await button.click();
    await expect(button).toHaveAttribute("aria-expanded", "true");
    await expect(drawer(page)).toBeVisible();
    await expect(drawer(page)).toHaveAttribute("id", controls!);
    await expect(drawer(page).getByRole("link", { name: "Members" })).toBeFocused();
    await expectAllInsideViewport(page, drawer(page).getByRole("navigation", { name: "Console" }).getByRole("link"));
    await attachScreenshot(page, testInfo, "navigation-drawer-phone");
    await page.keyboard.press("Escape");
    await expect(drawer(page)).toBeHidden();
    await expect(button).toHaveAttribute("aria-expanded", "false");
    await expect(button).toBeFocused();

    // A link in the drawer navigates, and the drawer closes behind it.
    await button.click();
    await drawer(page).getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Departments" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/console/departments");
    await expect(page.getByRole("heading", { level: 1, name: "Departments" })).toBeVisible();
    await expect(drawer(page)).toBeHidden();
    await expect(menuButton(page)).toHaveAttribute("aria-expanded", "false");
    await expectNoSidewaysScroll(page, PHONE.width);
  });

  test("a member page and its Disable dialog fit the screen: the name is whole, every lifecycle button in view", async ({ page, factory }, testInfo) => {
    const { ada } = await signInToOrganisation(page, factory);
    await openSettled(page, `/console/members/${ada.id}`);
    const heading = page.getByRole("heading", { level: 1, name: ada.fullName });
    await expect(heading).toBeVisible();
    await expectNoSidewaysScroll(page, PHONE.width);
    await expectInsideViewport(page, heading);
    await expectNotCut(heading);
    await expectInsideViewport(page, page.getByRole("link", { name: "Edit", exact: true }));
    // The lifecycle buttons wrap instead of running off the screen.
    await expectAllInsideViewport(page, page.getByRole("group", { name: "Lifecycle actions" }).getByRole("button"));
    // The section tabs scroll inside their own bar.
    await expectInsideViewport(page, page.getByRole("navigation", { name: "Member sections" }));
    await attachScreenshot(page, testInfo, "member-page-phone");
    // The other actions open in a menu that stays on the screen.
    await lifecycleActions(page).getByRole("button", { name: "More actions" }).click();
    const menu = page.getByRole("menu", { name: "More actions" });
    await expectAllInsideViewport(page, menu.getByRole("menuitem"));
    await attachScreenshot(page, testInfo, "more-actions-phone");
    await page.keyboard.press("Escape");
    await expect(menu).toHaveCount(0);

    await page.getByRole("button", { name: "Disable…" }).click();
    const dialog = page.getByRole("dialog", { name: `Disable ${ada.fullName}?` });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByRole("region", { name: "What will be revoked" })).toContainText("Payroll and Expenses");
    await expectNoSidewaysScroll(page, PHONE.width);
    await expectInsideViewport(page, dialog);
    await dialog.getByLabel("Reason").fill("Left the company");
    await expectInsideViewport(page, dialog.getByRole("button", { name: `Disable ${ada.fullName}` }));
    await expectInsideViewport(page, dialog.getByRole("button", { name: "Cancel" }));
    await attachScreenshot(page, testInfo, "disable-dialog-phone");
    await dialog.getByRole("button", { name: `Disable ${ada.fullName}` }).click();
    await expect(dialog).toHaveCount(0);
    await expect(page.getByTestId("lifecycle-state")).toHaveText("Disabled");
    // The receipt that follows fits too.
    await expect(page.getByRole("region", { name: "Access receipt" })).toBeVisible();
    await expectNoSidewaysScroll(page, PHONE.width);
    await attachScreenshot(page, testInfo, "member-receipt-phone");
  });

  test("no console page, nor /me, scrolls sideways", async ({ page, factory }) => {
    test.setTimeout(150_000);
    const { tenant, ada } = await signInToOrganisation(page, factory);
    // Someone in the recycle bin, so its table is on the page.
    const bob = await factory.createMember(tenant, { fullName: "Bartholomew Fitzgerald-Montgomery" });
    await openSettled(page, `/console/members/${bob.id}`);
    await chooseLifecycleAction(page, "Delete…");
    const deleting = page.getByRole("dialog", { name: `Delete ${bob.fullName}?` });
    await deleting.getByRole("button", { name: `Delete ${bob.fullName}` }).click();
    await expect(deleting).toHaveCount(0);

    // An import's report, with its table of row errors.
    await page.goto("/console/members/import");
    const file = ["username,first name,last name,email", "hedy.lamarr,Hedy,Lamarr,not-an-email"].join("\r\n");
    await page.getByLabel("Members file (CSV or JSON)").setInputFiles({ name: "starters.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
    await page.getByRole("button", { name: "Check file" }).click();
    await expect(page.getByRole("table", { name: "Row errors" })).toBeVisible();
    const importReport = `${new URL(page.url()).pathname}${new URL(page.url()).search}`;

    const pages = [
      importReport,
      "/console",
      "/console/members",
      "/console/members?status=archived",
      "/console/members/recycle-bin",
      "/console/members/new",
      "/console/members/onboard",
      "/console/members/import",
      ...["profile", "organisation", "access", "sessions", "timeline"].map((tab) => `/console/members/${ada.id}?tab=${tab}`),
      `/console/members/${ada.id}/edit`,
      `/console/members/${bob.id}`,
      "/console/departments",
      "/console/roles",
      "/console/apps",
      "/console/audit",
      "/console/settings",
      "/console/settings/security",
      "/console/settings/self-service",
      "/console/settings/lifecycle",
      "/console/settings/outbox",
      "/console/settings/alerts",
      "/console/status",
      "/console/notifications",
      "/console/access/who-has?permission=repo:write",
      "/console/access/matrix",
      "/console/access/heatmap",
      "/me",
      "/me/security",
    ];
    const tooWide: string[] = [];
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      if (scrollWidth > PHONE.width) tooWide.push(`${path}: ${scrollWidth} px (${(await widestElements(page, PHONE.width)).join("; ")})`);
    }
    expect(tooWide).toEqual([]);
  });
});

test.describe("on a laptop (1366×900)", () => {
  test.use({ viewport: DESKTOP });

  test("the members table shows every column, and the recycle bin keeps the Directory / Archived / Recycle bin tabs", async ({ page, factory }, testInfo) => {
    const { ada } = await signInToOrganisation(page, factory);
    await openSettled(page, "/console/members");
    const table = page.getByRole("table", { name: "Members" });
    await expect(table.getByRole("link", { name: ada.fullName, exact: true })).toBeVisible();
    await expectNoSidewaysScroll(page, DESKTOP.width);
    const headers = table.getByRole("columnheader");
    const labels = (await headers.allTextContents()).map((text) => text.trim());
    expect(labels).toEqual(["", "Name", "Username", "Email", "Main department", "Role", "Status", "Last online", "Created"]);
    // Inside the table's own scroll box, which is inside the screen: nothing hides behind a scroll bar.
    const frame = await table.evaluate((element) => element.parentElement!.getBoundingClientRect().right);
    expect(frame).toBeLessThanOrEqual(DESKTOP.width);
    for (let index = 0; index < labels.length; index++) {
      const box = await headers.nth(index).boundingBox();
      expect(box!.x + box!.width, `the ${labels[index] || "selection"} column ends inside the table's box`).toBeLessThanOrEqual(frame + 0.5);
    }
    await attachScreenshot(page, testInfo, "members-list-laptop");

    await page.getByRole("navigation", { name: "Member views" }).getByRole("link", { name: "Recycle bin" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/console/members/recycle-bin");
    const views = page.getByRole("navigation", { name: "Member views" });
    await expect(views.getByRole("link")).toHaveText(["Directory", "Archived", "Recycle bin"]);
    await expect(views.getByRole("link", { name: "Recycle bin" })).toHaveAttribute("aria-current", "page");
    await views.getByRole("link", { name: "Archived" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/console/members" && url.searchParams.get("status") === "archived");
    await expect(page.getByRole("navigation", { name: "Member views" }).getByRole("link", { name: "Archived" })).toHaveAttribute("aria-current", "page");
    await page.getByRole("navigation", { name: "Member views" }).getByRole("link", { name: "Directory" }).click();
    await expect(table.getByRole("link", { name: ada.fullName, exact: true })).toBeVisible();
  });
});
