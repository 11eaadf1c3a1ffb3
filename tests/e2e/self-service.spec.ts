import type { Page } from "@playwright/test";
import { totpCode } from "@/server/auth/mfa/totp";
import { answerConfirmation, expect, formAlert, openSettled, signIn, submitSignIn, test } from "./support/fixtures";
import { newPassword, type TE2eMember, type TE2eTenant } from "./support/factory";
import { mailboxOf } from "./support/mailbox";

// Self-service through the real pages: two-step verification set up at
// /me/security and then asked for at sign-in, a password change, signing out
// another browser, and the forgot-password mail read from the outbox.

const STEP_MS = 30_000;
const credentials = (tenant: TE2eTenant, member: TE2eMember, password = member.password) => ({ organisation: tenant.slug, login: member.username, password });

async function openSecurity(page: Page): Promise<void> {
  await openSettled(page, "/me/security");
  await expect(page.getByRole("heading", { name: "Security" })).toBeVisible();
}

async function signOutHere(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
}

test("a member sets up an authenticator app, then signing in asks for its code", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSecurity(page);

  // Signing in just now counts as "it's you": no extra prompt.
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code to add this account to an authenticator app" })).toBeVisible();
  const secret = await page.getByTestId("totp-secret").getAttribute("data-secret");
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await page.getByLabel("Code from the app").fill("000000");
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "That code is not right" })).toBeVisible();
  const enrolledAt = new Date();
  await page.getByLabel("Code from the app").fill(totpCode(secret!, enrolledAt));
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByRole("list", { name: "Recovery codes" }).getByTestId("recovery-code")).toHaveCount(10);
  await page.getByRole("button", { name: "I have saved them" }).click();
  await expect(page.getByTestId("mfa-state")).toContainText("10 recovery codes left");
  // Stored encrypted: the secret is nowhere in the row.
  const { rows } = await database.query<{ secret: string }>(`SELECT secret_encrypted AS secret FROM member_mfa WHERE user_id = $1`, [member.id]);
  expect(rows[0]!.secret).not.toContain(secret!);

  await signOutHere(page);
  await submitSignIn(page, credentials(tenant, member));
  const code = page.getByLabel("Code from your authenticator app");
  await expect(code).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  await code.fill("123456");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(formAlert(page, "That code is not right")).toBeVisible();
  // The code used to enrol is spent: the app's next one (a step ahead is accepted) signs in.
  await code.fill(totpCode(secret!, new Date(enrolledAt.getTime() + STEP_MS)));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await expect(page.getByTestId("profile-username")).toHaveText(member.username);

  const { rows: history } = await database.query<{ result: string; reason: string }>(
    "SELECT result, reason FROM login_attempts WHERE user_id = $1 ORDER BY id",
    [member.id],
  );
  expect(history.map((row) => `${row.result}:${row.reason}`)).toEqual(["success:signed_in", "failure:wrong_mfa_code", "success:signed_in"]);
});

test("a member changes their password: the new one signs in, the old one no longer does", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSecurity(page);

  const fresh = newPassword();
  await page.getByLabel("Current password").fill("not my password at all");
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Not your current password" })).toBeVisible();

  await page.getByLabel("Current password").fill(member.password);
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh);
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Your password is changed." })).toBeVisible();

  await signOutHere(page);
  await submitSignIn(page, credentials(tenant, member));
  await expect(formAlert(page, "Those sign-in details are not right.")).toBeVisible();
  await submitSignIn(page, credentials(tenant, member, fresh));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
});

test("a member signs out their other browser, which is signed out on its next request", async ({ page, browser, factory }, testInfo) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const otherContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL, userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1" });
  try {
    const other = await otherContext.newPage();
    await signIn(other, credentials(tenant, member));
    await expect(other).toHaveURL((url) => url.pathname === "/me");
    await openSettled(other, "/me");

    await signIn(page, credentials(tenant, member));
    await expect(page).toHaveURL((url) => url.pathname === "/me");
    await openSecurity(page);
    const sessions = page.getByRole("list", { name: "Your sessions" }).getByTestId("my-session");
    await expect(sessions).toHaveCount(2);
    const current = sessions.filter({ hasText: "this browser" });
    await expect(current).toHaveCount(1);
    await expect(current.getByRole("button", { name: "Sign out" })).toHaveCount(0);
    const otherRow = sessions.filter({ hasNotText: "this browser" });
    await otherRow.getByRole("button", { name: "Sign out" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Signed out the session on" })).toBeVisible();
    await expect(sessions).toHaveCount(1);

    await other.reload();
    await expect(other).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "revoked");
    // This browser is still signed in.
    await openSettled(page, "/me");
    await expect(page.getByTestId("profile-username")).toHaveText(member.username);
  } finally {
    await otherContext.close();
  }
});

test("forgot password: the mailed link (read from the outbox) sets a new password once", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);

  await page.goto("/sign-in");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/forgot-password");
  await page.getByLabel("Organisation").fill(tenant.slug);
  await page.getByLabel("Username or email").fill("someone-who-does-not-exist");
  await page.getByRole("button", { name: "Send me a link" }).click();
  const answer = page.getByRole("status").filter({ hasText: "If the account exists, a link to choose a new password is on its way" });
  await expect(answer).toBeVisible();

  await page.goto("/forgot-password");
  await page.getByLabel("Organisation").fill(tenant.slug);
  await page.getByLabel("Username or email").fill(member.email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(answer).toBeVisible();

  // The request only queues a job: the worker mails the link (the stored body holds a placeholder).
  const mail = await mailboxOf(database, member.email, "password_reset");
  const link = new URL(/https?:\/\/\S+\/reset-password\/[A-Za-z0-9_-]{43}/.exec(mail.text)![0]);
  await page.goto(link.pathname);
  await expect(page.getByTestId("reset-username")).toHaveText(member.username);
  const fresh = newPassword();
  await page.getByLabel("New password", { exact: true }).fill(fresh);
  await page.getByLabel("Repeat the new password").fill(fresh);
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("login") === member.username);
  await page.getByLabel("Password").fill(fresh);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/me");

  // Used once: the link now says only that it no longer works.
  await page.goto(link.pathname);
  await expect(page.getByRole("alert").filter({ hasText: "This password reset link is no longer valid." })).toBeVisible();
});

test("granting a role after five quiet minutes asks “Confirm it's you”, then grants", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  const member = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  await database.query("INSERT INTO roles (tenant_id, name) VALUES ($1, 'Auditor')", [tenant.id]);
  await signIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  // Signed in six minutes ago, as far as the step-up is concerned.
  await database.query("UPDATE sessions SET stepped_up_at = now() - interval '6 minutes' WHERE user_id = $1", [admin.id]);

  await openSettled(page, `/console/members/${member.id}`);
  await page.goto(`/console/members/${member.id}?tab=access`);
  const roles = page.getByRole("region", { name: "Roles", exact: true });
  await roles.getByRole("button", { name: "Add role…" }).click();
  await roles.getByLabel("Role to add").selectOption({ label: "Auditor" });
  await roles.getByRole("button", { name: "Add", exact: true }).click();

  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Your password").fill("not my password");
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog.getByRole("alert").filter({ hasText: "That is not your password" })).toBeVisible();
  await dialog.getByLabel("Your password").fill(admin.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole("status").filter({ hasText: "Granted the role “Auditor”." })).toBeVisible();
  await expect(roles.getByRole("listitem", { name: "Auditor" })).toBeVisible();
});

test("an organisation that requires MFA sends a member without it to set it up right after signing in", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await database.query("INSERT INTO tenant_security_policies (tenant_id, mfa_requirement) VALUES ($1, 'everyone')", [tenant.id]);

  await signIn(page, credentials(tenant, member), "/me/security");
  await expect(page).toHaveURL((url) => url.pathname === "/mfa/enrol");
  await expect(page.getByRole("heading", { name: "Set up two-step verification" })).toBeVisible();
  // Nothing else opens, page or API.
  await page.goto("/me");
  await expect(page).toHaveURL((url) => url.pathname === "/mfa/enrol");
  expect((await page.request.get("/api/trpc/me.get")).status()).toBe(401);

  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = await page.getByTestId("totp-secret").getAttribute("data-secret");
  await page.getByLabel("Code from the app").fill(totpCode(secret!, new Date()));
  await page.getByRole("button", { name: "Turn on two-step verification" }).click();
  await expect(page.getByTestId("recovery-code")).toHaveCount(10);
  await page.getByRole("button", { name: "I have saved them" }).click();
  // On to where the member was last going (/me, tried above).
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSecurity(page);
  await expect(page.getByTestId("mfa-state")).toContainText("On");
  await expect(page.getByText("Your organisation requires it, so it cannot be turned off.")).toBeVisible();
});

test("“This wasn't me” locks the account, ends every session and explains it on the sign-in page", async ({ page, browser, factory, database }, testInfo) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const otherContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const other = await otherContext.newPage();
    await signIn(other, credentials(tenant, member));
    await expect(other).toHaveURL((url) => url.pathname === "/me");
    await signIn(page, credentials(tenant, member));
    await expect(page).toHaveURL((url) => url.pathname === "/me");
    await openSecurity(page);

    const attempts = page.getByRole("list", { name: "Your sign-in history" }).getByTestId("my-login-attempt");
    await expect(attempts).toHaveCount(2);
    await attempts.last().getByRole("button", { name: "This wasn't me" }).click();
    await answerConfirmation(page, { title: /^Report the sign-in of .+ on .+ as not yours\?$/, confirm: "Report and lock my account" });
    await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "reported_not_me");
    await expect(page.getByRole("status").filter({ hasText: "Your account is locked and every session was ended" })).toBeVisible();

    await other.reload();
    await expect(other).toHaveURL((url) => url.pathname === "/sign-in");
    const { rows } = await database.query<{ state: string }>("SELECT state FROM users WHERE id = $1", [member.id]);
    expect(rows[0]!.state).toBe("locked");
    const { rows: events } = await database.query<{ action: string }>("SELECT action FROM audit_events WHERE target_id = $1 AND action = 'member.reported_not_me'", [member.id]);
    expect(events).toHaveLength(1);
  } finally {
    await otherContext.close();
  }
});
