import type { Page } from "@playwright/test";
import { expect, openSettled, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eTenant } from "./support/factory";
import { chooseLifecycleAction, lifecycleActions } from "./support/lifecycle-actions";

// Issue 11, clarity: one primary lifecycle action and a menu (12), events in
// words with one time format (14), one way to confirm success (15), no
// "This wasn't me" on the browser in use and an admin's archived-username
// message (16).

async function signInAsAdmin(page: Page, factory: E2eFactory): Promise<{ tenant: TE2eTenant; admin: { id: string } }> {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

const stateBadge = (page: Page) => page.getByTestId("lifecycle-state");
const success = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

test("a member page offers one primary action for the state and the others in a keyboard menu, destructive ones last, never Lock on a locked member", async ({
  page,
  factory,
}) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await page.goto(`/console/members/${ada.id}`);
  await expect(stateBadge(page)).toHaveText("Active");

  const group = lifecycleActions(page);
  await expect(group.getByRole("button")).toHaveCount(2);
  await expect(group.getByRole("button").first()).toHaveText("Disable…");
  const more = group.getByRole("button", { name: "More actions" });
  await expect(more).toHaveAttribute("aria-haspopup", "menu");
  await expect(more).toHaveAttribute("aria-expanded", "false");

  // Keyboard: arrow down opens on the first item, End goes to the last, Escape closes and gives the focus back.
  await more.focus();
  await page.keyboard.press("ArrowDown");
  const menu = page.getByRole("menu", { name: "More actions" });
  await expect(more).toHaveAttribute("aria-expanded", "true");
  await expect(menu.getByRole("menuitem")).toHaveText(["Lock…", "Resign…", "Archive…", "Delete…", "Delete permanently…"]);
  await expect(menu.getByRole("menuitem", { name: "Lock…" })).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(menu.getByRole("menuitem", { name: "Resign…" })).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect(menu.getByRole("menuitem", { name: "Delete permanently…" })).toBeFocused();
  await page.keyboard.press("Home");
  await expect(menu.getByRole("menuitem", { name: "Lock…" })).toBeFocused();
  await page.keyboard.press("End");
  await expect(menu.getByRole("menuitem", { name: "Delete permanently…" })).toBeFocused();
  // The destructive ones sit apart, after a separator.
  await expect(menu.getByRole("separator")).toHaveCount(1);
  await page.keyboard.press("Escape");
  await expect(menu).toHaveCount(0);
  await expect(more).toBeFocused();

  // Enter on an item starts it.
  await page.keyboard.press("Enter");
  await expect(menu.getByRole("menuitem", { name: "Lock…" })).toBeFocused();
  await page.keyboard.press("Enter");
  const lock = page.getByRole("dialog", { name: "Lock Ada Lovelace?" });
  await lock.getByLabel("Reason").fill("Laptop stolen");
  await lock.getByRole("button", { name: "Lock Ada Lovelace" }).click();
  await expect(lock).toHaveCount(0);
  await expect(stateBadge(page)).toHaveText("Locked");
  await expect(success(page, "Locked Ada Lovelace.")).toBeVisible();

  await expect(group.getByRole("button").first()).toHaveText("Unlock…");
  await more.click();
  await expect(menu.getByRole("menuitem")).toHaveText(["Disable…", "Resign…", "Archive…", "Delete…", "Delete permanently…"]);
  // A click elsewhere closes the menu.
  await page.getByRole("heading", { level: 1, name: "Ada Lovelace" }).click();
  await expect(menu).toHaveCount(0);
});

test("the timeline and the audit trail say every event in words, leave out what did not change, and write every moment one way", async ({
  page,
  factory,
  database,
}) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  await database.query(
    `INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, changes) VALUES
       ($1, $2, 'member.invitation_sent', 'member', $3, '{"invitationExpiresAt": {"before": null, "after": "2030-01-02T09:30:00.000Z"}, "openInvitations": {"before": 0, "after": 0}}'),
       ($1, $2, 'role.deleted', 'role', $3, '{"name": {"before": "Auditor", "after": null}, "grants": {"before": 0, "after": 0}}')`,
    [tenant.id, admin.id, grace.id],
  );

  await page.goto(`/console/members/${grace.id}?tab=timeline`);
  const invitation = page.getByRole("list", { name: "Timeline" }).getByTestId("timeline-event").filter({ hasText: "Invitation sent" });
  await expect(invitation.locator("[data-field]")).toHaveText(["The invitation link works until 2030-01-02 09:30 UTC"]);
  await expect(invitation.locator('[data-field] time[datetime="2030-01-02T09:30:00.000Z"]')).toHaveCount(1);
  await expect(invitation).not.toContainText("invitationExpiresAt");
  await expect(invitation).not.toContainText("member.invitation_sent");
  // Every moment on the timeline is a <time> in the one format: no ISO text beside a formatted one.
  const timeline = page.getByRole("list", { name: "Timeline" });
  expect(await timeline.innerText()).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
  for (const time of await timeline.locator("time").all()) {
    await expect(time).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+$/);
    await expect(time).toHaveAttribute("datetime", /^\d{4}-\d{2}-\d{2}T/);
  }

  await page.goto("/console/audit");
  const deleted = page.getByRole("list", { name: "Audit events" }).getByTestId("audit-event").filter({ hasText: "Role deleted" });
  await expect(deleted.locator("[data-field]")).toHaveText(["Name removed: Auditor"]);
  await expect(deleted).not.toContainText("0 → 0");
  await expect(deleted).not.toContainText("grants");
});

test("every action confirms success the same way: the /me profile, a restore from the recycle bin, and Restore… on the member page, which opens a dialog", async ({
  page,
  factory,
}) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const alan = await factory.createMember(tenant, { fullName: "Alan Turing" });
  const joan = await factory.createMember(tenant, { fullName: "Joan Clarke" });
  for (const member of [alan, joan]) {
    await page.goto(`/console/members/${member.id}`);
    await chooseLifecycleAction(page, "Delete…");
    const dialog = page.getByRole("dialog", { name: `Delete ${member.fullName}?` });
    await dialog.getByRole("button", { name: `Delete ${member.fullName}` }).click();
    await expect(dialog).toHaveCount(0);
    await expect(stateBadge(page)).toHaveText("Deleted");
  }

  // The member page: "Restore…" opens a dialog, then confirms as the recycle bin does.
  await page.goto(`/console/members/${alan.id}`);
  await expect(lifecycleActions(page).getByRole("button").first()).toHaveText("Restore…");
  await lifecycleActions(page).getByRole("button", { name: "Restore…" }).click();
  const restore = page.getByRole("dialog", { name: "Restore Alan Turing?" });
  await restore.getByRole("button", { name: "Restore Alan Turing" }).click();
  await expect(restore).toHaveCount(0);
  await expect(success(page, "Restored Alan Turing.")).toBeVisible();

  // The recycle bin: "Restore" (no dialog, no ellipsis) restores and says so.
  await openSettled(page, "/console/members/recycle-bin");
  await page.getByRole("button", { name: "Restore Joan Clarke" }).click();
  await expect(success(page, "Restored Joan Clarke.")).toBeVisible();
  expect(await factory.stateOf(joan)).toBe("active");
});

test("/me: saving the profile confirms it, and the sign-in of this browser offers no “This wasn't me”", async ({ page, browser, factory }, testInfo) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant, { fullName: "Hedy Lamarr" });
  const credentials = { organisation: tenant.slug, login: member.username, password: member.password };
  const otherContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    await signIn(await otherContext.newPage(), credentials);
    await signIn(page, credentials);
    await expect(page).toHaveURL((url) => url.pathname === "/me");
    await openSettled(page, "/me");
    const form = page.getByRole("form", { name: "Edit your profile" });
    await form.getByLabel("Address").fill("1 Hollywood Boulevard");
    await form.getByRole("button", { name: "Save" }).click();
    await expect(success(page, "Your profile is saved.")).toBeVisible();
    // The page reads the record again (a fresh form): the confirmation stays.
    await expect(page.getByTestId("member-address")).toHaveText("1 Hollywood Boulevard");
    await expect(success(page, "Your profile is saved.")).toBeVisible();

    await openSettled(page, "/me/security");
    const attempts = page.getByRole("list", { name: "Your sign-in history" }).getByTestId("my-login-attempt");
    await expect(attempts).toHaveCount(2);
    // Newest first: this browser's sign-in, then the other one's.
    await expect(attempts.first()).toContainText("This browser");
    await expect(attempts.first().getByRole("button", { name: /This wasn't me/ })).toHaveCount(0);
    await expect(attempts.last().getByRole("button", { name: /This wasn't me/ })).toHaveCount(1);
  } finally {
    await otherContext.close();
  }
});

test("an admin who reuses an archived member's username is told whose record it is and led to it", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  await page.goto(`/console/members/${grace.id}`);
  await chooseLifecycleAction(page, "Archive…");
  const archive = page.getByRole("dialog", { name: "Archive Grace Hopper?" });
  await archive.getByRole("button", { name: "Archive Grace Hopper" }).click();
  await expect(stateBadge(page)).toHaveText("Archived");

  await page.goto("/console/members/new");
  await page.getByLabel("First name").fill("Grace");
  await page.getByLabel("Last name").fill("Again");
  await page.getByLabel("Username").fill(grace.username);
  await page.getByLabel("Email").fill(`grace.again@${tenant.slug}.test`);
  await page.getByLabel("Phone number country").selectOption("GB");
  await page.getByLabel("Mobile number", { exact: true }).fill("07911 123409");
  await page.getByRole("button", { name: "Create member" }).click();
  await expect(page.getByLabel("Username")).toHaveAccessibleDescription(
    "This username belongs to Grace Hopper, an archived member: unarchive them to use it again, or choose another",
  );
  await expect(page.getByText("contact the administrator")).toHaveCount(0);
  // The record opens beside the form, which keeps what was typed.
  const [record] = await Promise.all([page.context().waitForEvent("page"), page.getByRole("link", { name: /^Open the archived member/ }).click()]);
  await record.waitForLoadState();
  await expect(record).toHaveURL((url) => url.pathname === `/console/members/${grace.id}`);
  await expect(lifecycleActions(record).getByRole("button").first()).toHaveText("Unarchive…");
  await record.close();
  await expect(page.getByLabel("Username")).toHaveValue(grace.username);
});

test("right after an action, the old state's actions are not offered until the page has the new state", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  await openSettled(page, `/console/members/${grace.id}`);
  await chooseLifecycleAction(page, "Disable…");
  const disable = page.getByRole("dialog", { name: "Disable Grace Hopper?" });
  await disable.getByLabel("Reason").fill("On leave");
  // The refresh of the member's state is held back, as on a slow network.
  let release: () => void = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/api\/trpc\/[^?]*lifecycle\.ofMember/, async (route) => {
    await held;
    await route.continue();
  });
  await disable.getByRole("button", { name: "Disable Grace Hopper" }).click();
  await expect(disable).toHaveCount(0);
  await expect(lifecycleActions(page)).toHaveAttribute("aria-busy", "true");
  await expect(lifecycleActions(page).getByRole("button", { name: "Disable…" })).toBeDisabled();
  await expect(lifecycleActions(page).getByRole("button", { name: "More actions" })).toBeDisabled();
  release();
  await expect(lifecycleActions(page)).toHaveAttribute("aria-busy", "false");
  await expect(lifecycleActions(page).getByRole("button", { name: "Enable…" })).toBeEnabled();
  await page.unroute(/\/api\/trpc\/[^?]*lifecycle\.ofMember/);
});

test.describe("in a browser set to Paris time", () => {
  test.use({ timezoneId: "Europe/Paris" });

  test("times are written in the browser's local time, with its zone, and the page hydrates without a mismatch", async ({ page, factory, database }) => {
    const hydrationErrors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" && /hydrat|#418|#425/i.test(message.text())) hydrationErrors.push(message.text());
    });
    const { tenant, admin } = await signInAsAdmin(page, factory);
    const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
    await database.query(
      `INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, changes)
       VALUES ($1, $2, 'member.invitation_sent', 'member', $3, '{"invitationExpiresAt": {"before": null, "after": "2030-01-02T09:30:00.000Z"}}')`,
      [tenant.id, admin.id, grace.id],
    );
    await page.goto(`/console/members/${grace.id}?tab=timeline`);
    const invitation = page.getByRole("list", { name: "Timeline" }).getByTestId("timeline-event").filter({ hasText: "Invitation sent" });
    await expect(invitation.locator("[data-field]")).toHaveText(["The invitation link works until 2030-01-02 10:30 CET"]);
    // The member page's own dates (server-rendered first) follow the browser too.
    await page.goto(`/console/members/${grace.id}`);
    await expect(page.getByTestId("member-created")).toHaveText(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2} CET/);
    expect(hydrationErrors).toEqual([]);
  });
});
