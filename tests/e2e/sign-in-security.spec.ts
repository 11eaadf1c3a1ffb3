import type { Page } from "@playwright/test";
import { answerConfirmation, expect, formAlert, openSettled, signIn, submitSignIn, test } from "./support/fixtures";
import type { TE2eMember, TE2eTenant } from "./support/factory";

// Sign-in security through the real pages: the tenant policy an admin sets in
// Settings → Security, the sign-in throttle it drives (sparing the member's own browser), the sign-out after inactivity,
// the forced password change, and a member's sessions and sign-in history on
// the member page.

const PAUSED_ALERT = /Sign-in is paused until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC after too many failed sign-in attempts from devices like this one/;
const INVALID_ALERT = "Those sign-in details are not right.";

/** Opens a page (with its query) as a fresh document and waits for its background requests to end. */
async function openWithQuery(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL((url) => `${url.pathname}${url.search}` === path);
  await page.waitForLoadState("networkidle");
}

const credentials = (tenant: TE2eTenant, member: TE2eMember) => ({ organisation: tenant.slug, login: member.username, password: member.password });

async function setLockoutThresholdInConsole(page: Page, threshold: number) {
  await openSettled(page, "/console/settings");
  await page.getByRole("navigation", { name: "Settings sections" }).getByRole("link", { name: "Security" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/settings/security");
  const field = page.getByLabel("Failed attempts before lockout");
  await expect(field).toHaveValue("10");
  await field.fill(String(threshold));
  await page.getByRole("button", { name: "Save policy" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Security policy saved." })).toBeVisible();
}

test("five wrong passwords from a stranger throttle unfamiliar devices only: the member's own browser still signs in, their session lives on, the admin sees and clears the throttle", async ({ page, browser, factory, database }, testInfo) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  const member = await factory.createMember(tenant);

  await signIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await setLockoutThresholdInConsole(page, 5);

  const memberContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  const strangerContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    // The member signs in on their own browser: next-auth's credentials callback leaves the device cookie.
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, credentials(tenant, member));
    await expect(memberPage).toHaveURL((url) => url.pathname === "/me");
    const deviceCookie = (await memberContext.cookies()).find((cookie) => cookie.name.endsWith("tenure-device"));
    expect(deviceCookie).toMatchObject({ httpOnly: true, sameSite: "Lax", path: "/" });

    const strangerPage = await strangerContext.newPage();
    await strangerPage.goto("/sign-in");
    for (let attempt = 1; attempt <= 4; attempt += 1) {
      await submitSignIn(strangerPage, { ...credentials(tenant, member), password: `wrong password number ${attempt}` });
      await expect(formAlert(strangerPage, INVALID_ALERT)).toBeVisible();
      await expect(strangerPage.getByLabel("Password")).toHaveValue("");
    }
    await submitSignIn(strangerPage, { ...credentials(tenant, member), password: "wrong password number 5" });
    await expect(formAlert(strangerPage, "Sign-in is paused until")).toHaveText(PAUSED_ALERT);
    // The right password gets the same answer on an unfamiliar browser.
    await submitSignIn(strangerPage, credentials(tenant, member));
    await expect(formAlert(strangerPage, "Sign-in is paused until")).toHaveText(PAUSED_ALERT);
    await expect(strangerPage).toHaveURL((url) => url.pathname === "/sign-in");

    // The member's session was not touched, and their browser signs in again.
    await openSettled(memberPage, "/me/security");
    await expect(memberPage.getByTestId("my-sign-in-throttle")).toContainText("from devices you have not signed in on before");
    await memberContext.clearCookies({ name: /session-token/ });
    await signIn(memberPage, credentials(tenant, member));
    await expect(memberPage).toHaveURL((url) => url.pathname === "/me");
    expect((await factory.sessionsOf(member)).filter((session) => session.revokedReason === null)).toHaveLength(2);
  } finally {
    await memberContext.close();
  }

  // Not the lifecycle's lock.
  const { rows } = await database.query<{ state: string }>(`SELECT state FROM users WHERE id = $1`, [member.id]);
  expect(rows[0]).toEqual({ state: "active" });

  // The admin sees the throttle and every attempt, and clears it.
  await openWithQuery(page, `/console/members/${member.id}?tab=sessions`);
  const history = page.getByRole("list", { name: "Sign-in history" }).getByTestId("login-attempt");
  await expect(history).toHaveCount(8);
  await expect(history.nth(1)).toHaveAttribute("data-result", "locked");
  const throttle = page.getByTestId("member-sign-in-throttle");
  await expect(throttle).toContainText(/Sign-in throttled until \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC for unfamiliar devices\./);
  await throttle.getByRole("button", { name: "Clear throttle" }).click();
  // Cleared, and said so where the throttle was (issue 11 item 15).
  await expect(throttle.getByRole("status").filter({ hasText: "Sign-in throttle cleared: the member can sign in from any device again." })).toBeVisible();
  await expect(throttle).not.toContainText("Sign-in throttled until");

  try {
    const strangerPage = await strangerContext.newPage();
    await signIn(strangerPage, credentials(tenant, member));
    await expect(strangerPage).toHaveURL((url) => url.pathname === "/me");
  } finally {
    await strangerContext.close();
  }
});

test("an idle session's next request lands on sign-in with “signed out after inactivity”", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSettled(page, "/me");

  // 31 minutes without a request, past the default 30-minute idle timeout.
  await database.query("UPDATE sessions SET last_seen_at = now() - interval '31 minutes' WHERE user_id = $1", [member.id]);
  await page.reload();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "idle");
  await expect(page.getByRole("status").filter({ hasText: "You were signed out after inactivity." })).toBeVisible();
});

test("an expired password must be changed before anything else opens", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await database.query("UPDATE users SET password_expires_at = now() - interval '1 day' WHERE id = $1", [member.id]);

  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/change-password");
  await expect(page.getByRole("status").filter({ hasText: "Your password has expired" })).toBeVisible();
  // Nothing else opens, page or API.
  await page.goto("/me");
  await expect(page).toHaveURL((url) => url.pathname === "/change-password");
  expect((await page.request.get("/api/trpc/me.get")).status()).toBe(401);

  await page.getByLabel("Current password").fill(member.password);
  await page.getByLabel("New password", { exact: true }).fill("password");
  await page.getByLabel("Repeat the new password").fill("password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "At least 15 characters" })).toBeVisible();

  await page.getByLabel("Current password").fill(member.password);
  await page.getByLabel("New password", { exact: true }).fill("passwordpassword");
  await page.getByLabel("Repeat the new password").fill("passwordpassword");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "list of common or leaked passwords" })).toBeVisible();

  const fresh = `${member.password} renewed`;
  await page.getByLabel("Current password").fill(member.password);
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await expect(page.getByTestId("profile-username")).toHaveText(member.username);
});

test("an admin sees a member's open sessions and ends one, which signs that browser out", async ({ page, browser, factory }, testInfo) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  const member = await factory.createMember(tenant);

  const memberContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, credentials(tenant, member));
    await expect(memberPage).toHaveURL((url) => url.pathname === "/me");
    await openSettled(memberPage, "/me");

    await signIn(page, credentials(tenant, admin));
    await expect(page).toHaveURL((url) => url.pathname === "/console");
    await openWithQuery(page, `/console/members/${member.id}?tab=sessions`);
    const sessions = page.getByRole("list", { name: "Open sessions" }).getByTestId("open-session");
    await expect(sessions).toHaveCount(1);
    await expect(sessions.first()).toContainText("Chrome on Linux");
    await expect(page.getByRole("list", { name: "Sign-in history" }).getByTestId("login-attempt").first()).toHaveAttribute("data-result", "success");

    await sessions.first().getByRole("button", { name: "End session" }).click();
    await answerConfirmation(page, { title: `End ${member.fullName}'s session on Chrome on Linux?`, confirm: "End session" });
    await expect(page.getByRole("status").filter({ hasText: "Ended the session on Chrome on Linux." })).toBeVisible();
    await expect(page.getByText(`No open sessions: ${member.fullName} is not signed in anywhere.`)).toBeVisible();

    await memberPage.reload();
    await expect(memberPage).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "revoked");
    expect((await factory.sessionsOf(member)).map((session) => session.revokedReason)).toEqual(["revoked"]);
  } finally {
    await memberContext.close();
  }
});
