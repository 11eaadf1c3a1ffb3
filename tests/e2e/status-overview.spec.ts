import type { Page } from "@playwright/test";
import { expect, openSettled, signIn, test } from "./support/fixtures";

// Issue 12 item 9: the status overview shows the organisation's state in
// cards and charts, each chart summarised for assistive technology, on a
// phone without sideways scrolling (axe checks every page state visited).

const PHONE = { width: 390, height: 844 };

async function expectNoSidewaysScroll(page: Page, width: number): Promise<void> {
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, `the status overview is ${scrollWidth} px wide`).toBeLessThanOrEqual(width);
}

test("an admin reads the organisation's state: online, locked, MFA, incidents as charts, online time, passwords", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const locked = await factory.createMember(tenant, { fullName: "Linus Locked" });
  await factory.setLocked(locked, true);
  await database.query("UPDATE users SET password_change_required = true WHERE id = $1", [grace.id]);
  // Two abnormal sign-ins today, one lockout two days ago, one account lock yesterday.
  await database.query(
    `INSERT INTO login_attempts (tenant_id, user_id, login, result, reason, abnormal, lockout_until, created_at)
     VALUES ($1, $2, 'grace', 'success', 'signed_in', true, NULL, now()),
            ($1, $2, 'grace', 'blocked', 'abnormal_login', true, NULL, now()),
            ($1, $2, 'grace', 'failure', 'wrong_password', false, now(), now() - interval '2 days')`,
    [tenant.id, grace.id],
  );
  await database.query("INSERT INTO audit_events (tenant_id, action, target_type, target_id, created_at) VALUES ($1, 'member.lock', 'member', $2, now() - interval '1 day')", [tenant.id, locked.id]);

  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Status overview" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/status");
  await expect(page.getByRole("heading", { level: 1, name: "Status overview" })).toBeVisible();

  await expect(page.getByTestId("status-online-members")).toHaveText(/^1\b/);
  await expect(page.getByTestId("status-locked-members").getByRole("link")).toHaveAttribute("href", "/console/members?status=locked");
  await expect(page.getByTestId("status-locked-members")).toContainText("1");
  await expect(page.getByTestId("status-without-mfa")).toHaveText("2");
  await expect(page.getByTestId("status-password-must-change")).toHaveText("1");
  // The admin's own unread alerts (the default rules alert owners): none, linking to the notification centre.
  await expect(page.getByTestId("status-pending-alerts")).toHaveText(/^0\b/);
  await expect(page.getByTestId("status-pending-alerts").getByRole("link")).toHaveAttribute("href", "/console/notifications");

  const incidents = page.getByRole("region", { name: "Sign-in incidents" });
  await expect(incidents.getByRole("img", { name: /^Abnormal sign-ins: 2 abnormal sign-ins in 14 days/ })).toBeVisible();
  await expect(incidents.getByRole("img", { name: /^Sign-in lockouts: 1 lockouts in 14 days/ })).toBeVisible();
  await expect(incidents.getByRole("img", { name: /^Accounts locked: 1 account locks in 14 days/ })).toBeVisible();
  await expect(incidents.getByRole("table", { name: "Abnormal sign-ins, per day" }).getByRole("row")).toHaveCount(15);
  await incidents.getByLabel("Last 30 days").check();
  await expect(incidents.getByRole("img", { name: /^Abnormal sign-ins: 2 abnormal sign-ins in 30 days/ })).toBeVisible();

  const onlineTime = page.getByRole("region", { name: "Online time" });
  await expect(onlineTime.getByRole("list", { name: "Members with the most session time in the last 7 days" }).getByRole("link", { name: "Zoe Administrator" })).toBeVisible();

  await page.setViewportSize(PHONE);
  await openSettled(page, "/console/status");
  await expect(page.getByRole("region", { name: "Sign-in incidents" }).getByRole("img").first()).toBeVisible();
  await expectNoSidewaysScroll(page, PHONE.width);
});

test("a member who is not an admin cannot open the status overview", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await page.goto("/console/status");
  await expect(page).toHaveURL((url) => url.pathname === "/me");
});
