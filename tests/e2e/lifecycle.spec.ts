import type { Page } from "@playwright/test";
import { expect, NOTICE, openSettled, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eMember, TE2eTenant } from "./support/factory";
import { chooseLifecycleAction } from "./support/lifecycle-actions";

// The lifecycle console: an action on a member page with its offboarding
// preview and access receipt, archiving (read-only, its username not
// reusable), the recycle bin with restore and the hard delete the worker
// carries out, a bulk action that refuses one member, and the outbox.

const ARCHIVED_USERNAME = "This username belongs to Grace Hopper, an archived member: unarchive them to use it again, or choose another";

async function signInAsAdmin(page: Page, factory: E2eFactory): Promise<{ tenant: TE2eTenant; admin: TE2eMember }> {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

const lifecycleActions = (page: Page) => page.getByRole("group", { name: "Lifecycle actions" });
const stateBadge = (page: Page) => page.getByTestId("lifecycle-state");
const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

test("an admin disables a signed-in member: the preview lists what goes, the receipt proves it, and the member's next request is refused", async ({
  browser,
  page,
  factory,
}, testInfo) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const engineering = await factory.createDepartment(tenant, "Engineering");
  await factory.addToDepartment(ada, engineering, { main: true });
  await factory.grantNew(tenant, ada, "application", "Payroll");
  await factory.grantNew(tenant, ada, "role", "Support");

  const memberContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, { organisation: tenant.slug, login: ada.username, password: ada.password });
    await expect(memberPage).toHaveURL((url) => url.pathname === "/me");
    await openSettled(memberPage, "/me");

    await page.goto(`/console/members/${ada.id}`);
    await expect(stateBadge(page)).toHaveText("Active");
    // The state's one primary action first (the menu's contents: console-clarity.spec.ts).
    await expect(lifecycleActions(page).getByRole("button").first()).toHaveText("Disable…");
    await chooseLifecycleAction(page, "Disable…");

    const dialog = page.getByRole("dialog", { name: "Disable Ada Lovelace?" });
    await expect(dialog).toBeVisible();
    const preview = dialog.getByRole("region", { name: "What will be revoked" });
    await expect(preview.getByTestId("preview-applications")).toContainText("Payroll");
    await expect(preview.getByTestId("preview-policies")).toContainText("none");
    // Disabling keeps departments, roles and groups: the preview does not list them.
    await expect(preview.getByTestId("preview-departments")).toHaveCount(0);
    await expect(preview.getByTestId("preview-sessions")).toContainText("1 open session will end now");

    // The reason is required.
    await dialog.getByRole("button", { name: "Disable Ada Lovelace" }).click();
    await expect(dialog.getByLabel("Reason")).toHaveAccessibleDescription("Say why the account is disabled");
    await dialog.getByLabel("Reason").fill("Left the company");
    await dialog.getByRole("button", { name: "Disable Ada Lovelace" }).click();
    await expect(dialog).toHaveCount(0);

    await expect(notice(page, "Disabled Ada Lovelace.")).toBeVisible();
    await expect(stateBadge(page)).toHaveText("Disabled");
    await expect(page.getByTestId("lifecycle-disable-reason")).toHaveText("Reason: Left the company");
    const receipt = page.getByRole("region", { name: "Access receipt" });
    await expect(receipt.getByTestId("receipt-revoked")).toHaveText("Applications: Payroll");
    await expect(receipt.getByTestId("receipt-sessions")).toHaveText("1 session");
    await expect(receipt.getByTestId("receipt-zero-access")).toHaveText(/^\d[\d.,]* ms$/);
    await expect(lifecycleActions(page).getByRole("button").first()).toHaveText("Enable…");
    // Departments and roles stay.
    await page.getByRole("navigation", { name: "Member sections" }).getByRole("link", { name: "Organisation" }).click();
    await expect(page.getByRole("list", { name: "Member's departments" }).getByRole("listitem", { name: "Engineering" })).toBeVisible();

    await memberPage.reload();
    await expect(memberPage).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "account_blocked");
    await expect(memberPage.getByRole("status").filter({ hasText: NOTICE.accountBlocked })).toBeVisible();
  } finally {
    await memberContext.close();
  }
});

test("an archived member is read-only and out of the directory, and their username cannot be registered again", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  await factory.grantNew(tenant, grace, "role", "Auditor");

  await page.goto(`/console/members/${grace.id}`);
  await chooseLifecycleAction(page, "Archive…");
  const dialog = page.getByRole("dialog", { name: "Archive Grace Hopper?" });
  await expect(dialog.getByTestId("preview-roles")).toContainText("Auditor");
  await dialog.getByRole("button", { name: "Archive Grace Hopper" }).click();
  await expect(dialog).toHaveCount(0);

  await expect(stateBadge(page)).toHaveText("Archived");
  await expect(page.getByRole("note").filter({ hasText: "Archived: read-only until unarchived." })).toBeVisible();
  await expect(page.getByRole("link", { name: "Edit", exact: true })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Access receipt" }).getByTestId("receipt-revoked")).toHaveText("Roles: Auditor");
  await page.getByRole("navigation", { name: "Member sections" }).getByRole("link", { name: "Access" }).click();
  await expect(page.getByRole("button", { name: "Add role…" })).toBeDisabled();
  // The edit page refuses too.
  await page.goto(`/console/members/${grace.id}/edit`);
  await expect(page.getByRole("alert").filter({ hasText: "An archived member is read-only: unarchive them first" })).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveCount(0);

  // Not in the directory; in the Archived view, whose address can be bookmarked.
  await page.goto("/console/members");
  const views = page.getByRole("navigation", { name: "Member views" });
  await expect(page.getByRole("table", { name: "Members" }).getByRole("link", { name: "Grace Hopper" })).toHaveCount(0);
  await views.getByRole("link", { name: "Archived" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("status") === "archived");
  await expect(page.getByRole("table", { name: "Members" }).getByRole("rowheader")).toHaveText(["Grace Hopper"]);
  await page.reload();
  await expect(views.getByRole("link", { name: "Archived" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("table", { name: "Members" }).getByRole("rowheader")).toHaveText(["Grace Hopper"]);

  await page.goto("/console/members/new");
  await page.getByLabel("First name").fill("Grace");
  await page.getByLabel("Last name").fill("Again");
  await page.getByLabel("Username").fill(grace.username);
  await page.getByLabel("Email").fill(`grace.again@${tenant.slug}.test`);
  await page.getByLabel("Phone number country").selectOption("GB");
  await page.getByLabel("Mobile number", { exact: true }).fill("07911 123402");
  await page.getByRole("button", { name: "Create member" }).click();
  await expect(page.getByLabel("Username")).toHaveAccessibleDescription(ARCHIVED_USERNAME);
  await expect(page).toHaveURL((url) => url.pathname === "/console/members/new");

  // Delete permanently, from any state: the username must be typed.
  await page.goto(`/console/members/${grace.id}`);
  await chooseLifecycleAction(page, "Delete permanently…");
  const erase = page.getByRole("dialog", { name: "Delete Grace Hopper permanently?" });
  await expect(erase).toContainText("This cannot be undone.");
  const confirm = erase.getByLabel(`Type ${grace.username} to confirm`);
  await confirm.fill("someone-else");
  await erase.getByRole("button", { name: "Delete permanently" }).click();
  await expect(confirm).toHaveAccessibleDescription(`Type ${grace.username} to confirm`);
  expect(await factory.stateOf(grace)).toBe("archived");
  await confirm.fill(grace.username);
  await erase.getByRole("button", { name: "Delete permanently" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members/recycle-bin");
  await expect(notice(page, "The member was deleted permanently.")).toBeVisible();
  expect(await factory.stateOf(grace)).toBeNull();
});

test("a deleted member waits in the recycle bin, comes back with their department, and is erased by the worker when the grace period ends", async ({
  page,
  factory,
}) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const alan = await factory.createMember(tenant, { fullName: "Alan Turing" });
  const bletchley = await factory.createDepartment(tenant, "Bletchley");
  await factory.addToDepartment(alan, bletchley, { main: true });

  // The grace period is the tenant's setting.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Settings" }).click();
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Lifecycle" }).click();
  await expect(page.getByLabel("Recycle bin grace period (days)")).toHaveValue("30");
  await page.getByLabel("Recycle bin grace period (days)").fill("10");
  await page.getByLabel("Password expiry reminders (days before)").fill("3, 10, 3");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(notice(page, "Saved.")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Recycle bin grace period (days)")).toHaveValue("10");
  await expect(page.getByLabel("Password expiry reminders (days before)")).toHaveValue("10, 3");

  await page.goto(`/console/members/${alan.id}`);
  await chooseLifecycleAction(page, "Delete…");
  const dialog = page.getByRole("dialog", { name: "Delete Alan Turing?" });
  await expect(dialog.getByTestId("grace-period")).toContainText("Grace period: 10 days");
  await expect(dialog.getByTestId("preview-departments")).toContainText("Bletchley");
  await dialog.getByRole("button", { name: "Delete Alan Turing" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(stateBadge(page)).toHaveText("Deleted");
  await expect(page.getByRole("note").filter({ hasText: /^In the recycle bin until \d{4}-\d\d-\d\d \d\d:\d\d UTC/ })).toBeVisible();

  await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Recycle bin" }).click();
  const bin = page.getByRole("table", { name: "Deleted members" });
  await expect(bin.getByRole("rowheader")).toHaveText([/^Alan Turing/]);
  await expect(bin.getByRole("row").filter({ hasText: "Alan Turing" })).toContainText("Zoe Administrator");
  await bin.getByRole("button", { name: "Restore Alan Turing" }).click();
  await expect(notice(page, "Restored Alan Turing.")).toBeVisible();
  await expect(page.getByText("The recycle bin is empty.")).toBeVisible();

  await page.goto(`/console/members/${alan.id}?tab=organisation`);
  await expect(stateBadge(page)).toHaveText("Active");
  await expect(page.getByRole("list", { name: "Member's departments" }).getByRole("listitem", { name: "Bletchley" })).toContainText("Main department");

  // Deleted again, then the grace period ends: the real worker erases the member.
  await chooseLifecycleAction(page, "Delete…");
  await page.getByRole("dialog", { name: "Delete Alan Turing?" }).getByRole("button", { name: "Delete Alan Turing" }).click();
  await expect(stateBadge(page)).toHaveText("Deleted");
  expect(await factory.makeHardDeleteDue(alan)).toBe(1);
  await expect.poll(() => factory.stateOf(alan), { timeout: 20_000 }).toBeNull();

  await page.goto("/console/members/recycle-bin");
  await expect(page.getByText("The recycle bin is empty.")).toBeVisible();
  await page.goto(`/console/members/${alan.id}`);
  await expect(page.getByRole("heading", { name: "Member not found" })).toBeVisible();
});

test("a bulk disable changes the others, lists the refused member with the reason, and the outbox holds the notices", async ({ page, factory }) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const barbara = await factory.createMember(tenant, { fullName: "Barbara Liskov" });
  await factory.grantNew(tenant, ada, "application", "Wiki");

  await page.goto("/console/members");
  const table = page.getByRole("table", { name: "Members" });
  await expect(table.getByRole("rowheader")).toHaveText(["Ada Lovelace", "Barbara Liskov", "Zoe Administrator"]);
  await page.getByLabel("Select all loaded members").check();
  const bulkBar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bulkBar).toContainText("3 selected");
  await bulkBar.getByRole("group", { name: "Change status" }).getByRole("button", { name: "Disable…" }).click();

  const dialog = page.getByRole("dialog", { name: "Disable 3 members?" });
  const preview = dialog.getByRole("region", { name: "What will be revoked" });
  await expect(preview).toContainText("2 members will be changed");
  await expect(preview.getByRole("list", { name: "Totals" })).toContainText("Applications: 1");
  await expect(preview.getByRole("table", { name: "Per member" }).getByRole("row").filter({ hasText: ada.username })).toContainText("Wiki (applications)");
  await expect(preview.getByRole("table", { name: "Refused members" }).getByRole("row").filter({ hasText: admin.username })).toContainText(
    "You cannot change your own account's status",
  );
  await dialog.getByLabel("Reason").fill("Contract ended");
  await dialog.getByRole("button", { name: "Disable 3 members" }).click();
  await expect(dialog).toHaveCount(0);

  const result = page.getByRole("region", { name: "Bulk result" });
  await expect(result.getByRole("status")).toHaveText("Disabled 2 members. 1 member not changed.");
  await expect(result.getByRole("table", { name: "Refused members" }).getByRole("row").filter({ hasText: admin.username })).toContainText(
    "You cannot change your own account's status",
  );
  await expect(table.getByRole("row").filter({ hasText: "Ada Lovelace" })).toContainText("Disabled");
  await expect(table.getByRole("row").filter({ hasText: "Barbara Liskov" })).toContainText("Disabled");
  await expect(table.getByRole("row").filter({ hasText: "Zoe Administrator" })).toContainText("Active");
  expect([await factory.stateOf(ada), await factory.stateOf(barbara), await factory.stateOf(admin)]).toEqual(["disabled", "disabled", "active"]);

  // No SMTP_URL in the e2e server: the notices are held in the outbox, to be read there.
  await page.goto("/console/settings/outbox");
  await expect(page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Outbox" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByText("no SMTP_URL is configured")).toBeVisible();
  const mails = page.getByRole("list", { name: "Mails" }).getByRole("listitem");
  await expect(mails).toHaveCount(2);
  const adaMail = mails.filter({ hasText: ada.email });
  await expect(adaMail).toContainText("Your account has been disabled");
  await expect(adaMail).toContainText("held");
  await expect(adaMail).toContainText("Account disabled");
  // Folded until opened; then the body reads as the member would, its link clickable.
  const signInLink = adaMail.getByRole("link", { name: /\/sign-in$/ });
  await expect(signInLink).toBeHidden();
  await adaMail.locator("summary").click();
  await expect(signInLink).toBeVisible();
  await expect(adaMail.locator("pre")).toContainText("Reason: Contract ended");
});

test("a lock until a time (read as UTC), a scheduled resignation and a scheduled lock say what they mean; the scheduled lock is cancelled", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const linus = await factory.createMember(tenant, { fullName: "Linus Torvalds" });

  await page.goto(`/console/members/${linus.id}`);
  await chooseLifecycleAction(page, "Lock…");
  const lock = page.getByRole("dialog", { name: "Lock Linus Torvalds?" });
  await lock.getByLabel("Reason").fill("Suspicious sign-ins");
  const lockEnd = lock.getByLabel("Lock ends (UTC, optional)");
  await lockEnd.fill("2020-01-02T09:30");
  await lock.getByRole("button", { name: "Lock Linus Torvalds" }).click();
  await expect(lockEnd).toHaveAccessibleDescription("The lock must end in the future");
  await lockEnd.fill("2030-01-02T09:30");
  await lock.getByRole("button", { name: "Lock Linus Torvalds" }).click();
  await expect(lock).toHaveCount(0);
  await expect(stateBadge(page)).toHaveText("Locked");
  await expect(page.getByTestId("lifecycle-locked")).toContainText("until 2030-01-02 09:30 UTC, then unlocked automatically.");
  await expect(page.getByTestId("lifecycle-lock-reason")).toHaveText("Reason: Suspicious sign-ins");
  await expect(page.getByRole("region", { name: "Access receipt" }).getByTestId("receipt-revoked")).toHaveText("nothing");

  await chooseLifecycleAction(page, "Unlock…");
  await page.getByRole("dialog", { name: "Unlock Linus Torvalds?" }).getByRole("button", { name: "Unlock Linus Torvalds" }).click();
  await expect(stateBadge(page)).toHaveText("Active");
  await expect(notice(page, "Unlocked Linus Torvalds.")).toBeVisible();

  // A leave date in the future schedules the resignation: the member stays active until then.
  await chooseLifecycleAction(page, "Resign…");
  const resign = page.getByRole("dialog", { name: "Resign Linus Torvalds?" });
  await resign.getByLabel("Reason (optional)").fill("Moving abroad");
  await resign.getByLabel("Leave date (UTC, optional)").fill("2030-03-31T17:00");
  await resign.getByRole("button", { name: "Resign Linus Torvalds" }).click();
  await expect(resign).toHaveCount(0);
  await expect(notice(page, "Resignation of Linus Torvalds scheduled")).toBeVisible();
  await expect(stateBadge(page)).toHaveText("Active");
  await expect(page.getByTestId("lifecycle-scheduled-leave")).toHaveText("Scheduled to leave on 2030-03-31 17:00 UTC (Moving abroad).");
  expect(await factory.stateOf(linus)).toBe("active");

  // A lock start in the future schedules the lock (lockStartDate); it must end after it starts.
  await chooseLifecycleAction(page, "Lock…");
  const scheduledLock = page.getByRole("dialog", { name: "Lock Linus Torvalds?" });
  await scheduledLock.getByLabel("Reason").fill("Audit week");
  await scheduledLock.getByLabel("Lock starts (UTC, optional)").fill("2030-02-01T08:00");
  await scheduledLock.getByLabel("Lock ends (UTC, optional)").fill("2030-01-31T08:00");
  await scheduledLock.getByRole("button", { name: "Lock Linus Torvalds" }).click();
  await expect(scheduledLock.getByLabel("Lock ends (UTC, optional)")).toHaveAccessibleDescription("The lock must end after it starts");
  await scheduledLock.getByLabel("Lock ends (UTC, optional)").fill("2030-02-08T18:00");
  await scheduledLock.getByRole("button", { name: "Lock Linus Torvalds" }).click();
  await expect(scheduledLock).toHaveCount(0);
  await expect(notice(page, "Lock of Linus Torvalds scheduled")).toBeVisible();
  await expect(stateBadge(page)).toHaveText("Active");
  await expect(page.getByTestId("lifecycle-scheduled-lock")).toHaveText("Scheduled to be locked from 2030-02-01 08:00 UTC until 2030-02-08 18:00 UTC (Audit week).");
  expect(await factory.stateOf(linus)).toBe("active");

  // Cancelled before it starts: the member stays as they are.
  await page.getByRole("button", { name: "Cancel scheduled lock" }).click();
  await expect(notice(page, "The scheduled lock is cancelled.")).toBeVisible();
  await expect(page.getByTestId("lifecycle-scheduled-lock")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Cancel scheduled lock" })).toHaveCount(0);
  await expect(stateBadge(page)).toHaveText("Active");
  expect(await factory.stateOf(linus)).toBe("active");
});
