import { expect, formAlert, NOTICE, SIGN_IN_ALERT, openSettled, signIn, submitSignIn, test } from "./support/fixtures";
import type { TE2eMember, TE2eTenant } from "./support/factory";

// Sign-in, roles and the revocable sessions behind them (server/auth/sessions.ts,
// proxy.ts): a session ended in the database ends in the browser on the very
// next request. Every test arranges its own organisation and members.

const credentials = (tenant: TE2eTenant, member: TE2eMember, login = member.username) => ({
  organisation: tenant.slug,
  login,
  password: member.password,
});

test("wrong credentials get one generic answer, whichever part is wrong", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);

  await signIn(page, { ...credentials(tenant, member), password: `${member.password}-wrong` });
  await expect(formAlert(page, SIGN_IN_ALERT.invalidCredentials)).toBeVisible();
  await expect(page.getByLabel("Password")).toHaveValue("");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");

  await submitSignIn(page, { ...credentials(tenant, member), login: "nobody-by-this-name" });
  await expect(formAlert(page, SIGN_IN_ALERT.invalidCredentials)).toBeVisible();

  await submitSignIn(page, { ...credentials(tenant, member), organisation: "no-such-organisation" });
  await expect(formAlert(page, SIGN_IN_ALERT.invalidCredentials)).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");

  expect(await factory.sessionsOf(member)).toEqual([]);
});

test("the API refuses signed-out callers and answers signed-in ones", async ({ page, factory }) => {
  const signedOut = await page.request.get("/api/trpc/me.get");
  expect(signedOut.status()).toBe(401);
  expect(await signedOut.json()).toMatchObject({ error: { json: { data: { code: "UNAUTHORIZED" } } } });

  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  // Signing in by email works as well as by username.
  await signIn(page, credentials(tenant, member, member.email.toUpperCase()));
  await expect(page).toHaveURL((url) => url.pathname === "/me");

  const signedIn = await page.request.get("/api/trpc/me.get");
  expect(signedIn.status()).toBe(200);
  expect(await signedIn.json()).toMatchObject({ result: { data: { json: { username: member.username, role: "member" } } } });

  // An administrator-only procedure is forbidden to a member, not merely hidden.
  const input = encodeURIComponent(JSON.stringify({ json: { limit: 5 } }));
  const forbidden = await page.request.get(`/api/trpc/members.list?input=${input}`);
  expect(forbidden.status()).toBe(403);
});

test("a member lands on their profile and is kept out of the console", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);

  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await expect(page.getByTestId("profile-username")).toHaveText(member.username);
  await expect(page.getByTestId("profile-email")).toHaveText(member.email);
  await expect(page.getByTestId("profile-organisation")).toHaveText(tenant.name);
  await expect(page.getByTestId("profile-role")).toHaveText("Member");
  await expect(page.getByRole("link", { name: "Console" })).toHaveCount(0);

  await page.goto("/console");
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await page.goto("/console/members");
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await expect(page.getByTestId("profile-username")).toHaveText(member.username);
});

test("a revoked session is signed out on its next request, and signing in again returns to the page", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });

  await signIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await expect(page.getByTestId("tenant-name")).toHaveText(tenant.name);
  await openSettled(page, "/console");

  expect(await factory.revokeMemberSessions(admin)).toBe(1);
  await page.reload();
  await expect(page).toHaveURL(
    (url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "revoked" && url.searchParams.get("callbackUrl") === "/console",
  );
  await expect(page.getByRole("status").filter({ hasText: NOTICE.revoked })).toBeVisible();
  const signedOut = await page.request.get("/api/trpc/me.get");
  expect(signedOut.status()).toBe(401);

  // Signing in again opens a new session and goes back where the member was.
  await submitSignIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await expect(page.getByTestId("stat-open-sessions")).toHaveText("1");
  await openSettled(page, "/console");

  // Revoked while moving around the console: the next client-side navigation ends there too.
  expect(await factory.revokeMemberSessions(admin)).toBe(1);
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "revoked");
  await expect(page.getByRole("status").filter({ hasText: NOTICE.revoked })).toBeVisible();
  expect((await factory.sessionsOf(admin)).map((session) => session.revokedReason)).toEqual(["revoked", "revoked"]);
});

// Next's router prefetches links in the background, and the proxy cannot tell a
// prefetch from a navigation. Whatever a prefetch meets, the member's next real
// request must still learn why they were signed out.
const PREFETCH_HEADERS = { RSC: "1", "Next-Router-Prefetch": "1" };

test("a prefetch that meets a revoked session does not hide why the member was signed out", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await openSettled(page, "/console");

  expect(await factory.revokeMemberSessions(admin)).toBe(1);
  // What Next's router does in the background for a link that comes into view.
  const prefetch = await page.request.get("/console/apps", { headers: PREFETCH_HEADERS, maxRedirects: 0 });
  expect(prefetch.status()).toBe(307);
  await page.reload();
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  expect(new URL(page.url()).searchParams.get("reason")).toBe("revoked");
});

test("a prefetch that meets a blocked member's session does not change why the member was signed out", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSettled(page, "/me");

  await factory.setEnabled(member, false);
  const prefetch = await page.request.get("/me", { headers: PREFETCH_HEADERS, maxRedirects: 0 });
  expect(prefetch.status()).toBe(307);
  await page.reload();
  expect(new URL(page.url()).pathname).toBe("/sign-in");
  expect(new URL(page.url()).searchParams.get("reason")).toBe("account_blocked");
});

test("a member disabled while signed in is signed out on the next request and cannot sign in again", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);

  await signIn(page, credentials(tenant, member));
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await openSettled(page, "/me");
  await expect(page.getByTestId("profile-username")).toHaveText(member.username);

  await factory.setEnabled(member, false);
  await page.reload();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "account_blocked");
  await expect(page.getByRole("status").filter({ hasText: NOTICE.accountBlocked })).toBeVisible();
  expect((await factory.sessionsOf(member)).map((session) => session.revokedReason)).toEqual(["account_blocked"]);

  await submitSignIn(page, credentials(tenant, member));
  await expect(formAlert(page, SIGN_IN_ALERT.accountBlocked)).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  expect(await factory.sessionsOf(member)).toHaveLength(1);
});

test("signing out ends only that browser's session", async ({ browser, page, factory }, testInfo) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });

  await signIn(page, credentials(tenant, admin));
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  const otherContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const otherPage = await otherContext.newPage();
    await signIn(otherPage, credentials(tenant, admin));
    await expect(otherPage).toHaveURL((url) => url.pathname === "/console");
    await expect(otherPage.getByTestId("stat-open-sessions")).toHaveText("2");

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "signed-out");
    await expect(page.getByRole("status").filter({ hasText: NOTICE.signedOut })).toBeVisible();

    await otherPage.reload();
    await expect(otherPage).toHaveURL((url) => url.pathname === "/console");
    await expect(otherPage.getByTestId("stat-open-sessions")).toHaveText("1");
    await expect(otherPage.getByTestId("tenant-name")).toHaveText(tenant.name);
    expect((await factory.sessionsOf(admin)).map((session) => session.revokedReason)).toEqual(["signed_out", null]);

    await page.goto("/console");
    await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  } finally {
    await otherContext.close();
  }
});
