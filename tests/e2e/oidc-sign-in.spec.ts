import * as oidc from "openid-client";
import { totpCode } from "@/server/auth/mfa/totp";
import { startRelyingParty, type TRelyingParty } from "@/tests/support/relying-party";
import { readE2eServerState } from "./support/e2e-env";
import type { E2eFactory, TE2eTenant } from "./support/factory";
import { expect, openSettled, signIn, submitSignIn, test } from "./support/fixtures";
import { lifecycleActions } from "./support/lifecycle-actions";

// Issue 14's end-to-end test: a member signs in to the sample application (an
// openid-client relying party started here) through Tenure's own pages in
// Chromium, password then authenticator code; an admin disables them in the
// console; the application's next page shows them signed out (its back-channel
// logout endpoint was told) and its refresh token is refused. A member without
// the application sees Tenure's "no access" page instead.

// Two browsers, a Next.js sign-in with MFA, a console action and a worker job on a shared two-core machine.
test.setTimeout(180_000);

let rp: TRelyingParty | undefined;
test.afterEach(async () => {
  await rp?.stop();
  rp = undefined;
});

/** The application first (the relying party needs its client id), then the relying party on a free port, whose URIs become the application's. */
async function sampleApplication(factory: E2eFactory, tenant: TE2eTenant, baseUrl: string) {
  const application = await factory.createSignInApplication(tenant, "Sample app");
  const party = await startRelyingParty({ issuer: `${baseUrl}/oidc/${tenant.slug}`, clientId: application.clientId, clientSecret: application.clientSecret });
  await factory.setApplicationUris(application, party);
  return { party, application };
}

test("a member with MFA signs in to the sample application through Tenure, an admin disables them, the application signs them out", async ({ page, browser, factory }, testInfo) => {
  const { baseUrl, nextauthSecret } = readE2eServerState();
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  const member = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const totpSecret = await factory.enrolAuthenticator(member, nextauthSecret);
  const sample = await sampleApplication(factory, tenant, baseUrl);
  rp = sample.party;
  await factory.grantApplication(member, sample.application);

  // The application's login sends the browser to Tenure's sign-in page, organisation filled in.
  await page.goto(`${rp.url}/login`);
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.origin === baseUrl);
  await expect(page.getByLabel("Organisation")).toHaveValue(tenant.slug);
  await submitSignIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  const code = page.getByLabel("Code from your authenticator app");
  await expect(code).toBeVisible();
  await code.fill(totpCode(totpSecret, new Date()));
  await page.getByRole("button", { name: "Verify" }).click();

  // Back at the application, signed in with the claims Tenure released.
  await expect(page).toHaveURL(`${rp.url}/`, { timeout: 20_000 });
  await expect(page.locator("body")).toHaveText(`Signed in as ${member.email}`);
  const [session] = [...rp.sessions.values()];
  expect(session).toMatchObject({ sub: member.id, email: member.email });
  const refreshToken = session!.refreshToken!;
  expect(refreshToken).toBeTruthy();

  // Single sign-on: the same browser is signed in to Tenure, whose /me lists the application with its session.
  await openSettled(page, "/me/applications");
  const mine = page.getByRole("list", { name: "Applications you can sign in to" }).getByTestId("my-application");
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText("Sample app");
  await expect(mine).toContainText("Signed in");
  await expect(mine.getByRole("link", { name: "Open Sample app" })).toHaveAttribute("href", `${rp.url}/`);

  // The application's page shows the live session and the sign-in; then an admin disables the member from the console.
  const adminContext = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, { organisation: tenant.slug, login: admin.username, password: admin.password });
    await expect(adminPage).toHaveURL((url) => url.pathname === "/console");
    await openSettled(adminPage, `/console/apps/${sample.application.id}`);
    await expect(adminPage.getByRole("list", { name: "Members who can sign in" })).toContainText("Grace Hopper");
    await expect(adminPage.getByRole("list", { name: "Live sessions" })).toContainText("Grace Hopper");
    await expect(adminPage.getByRole("list", { name: "Recent sign-ins" })).toContainText("Grace Hopper");
    await expect(adminPage.getByText("No logout has been sent to it.")).toBeVisible();
    await openSettled(adminPage, `/console/members/${member.id}`);
    // An active member's primary action (lifecycle.spec.ts covers the menu).
    await lifecycleActions(adminPage).getByRole("button", { name: "Disable…", exact: true }).click();
    const dialog = adminPage.getByRole("dialog", { name: "Disable Grace Hopper?" });
    await dialog.getByLabel("Reason").fill("Left the company");
    await dialog.getByRole("button", { name: "Disable Grace Hopper" }).click();
    await expect(dialog).toHaveCount(0);
  } finally {
    await adminContext.close();
  }

  // The worker delivers the back-channel logout token; the application verified it and ended its session.
  await expect.poll(() => rp!.logoutTokens.filter((token) => token.valid).map((token) => token.sub), { timeout: 10_000 }).toEqual([member.id]);
  expect(rp.logoutTokens.filter((token) => !token.valid)).toEqual([]);
  // The application's next page, in the member's browser; Tenure's own session ended with the disable too.
  await page.goto(`${rp.url}/`);
  await expect(page.locator("body")).toHaveText("Signed out");
  await page.goto("/me/applications");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  // And the refresh token the application held is refused by Tenure.
  await expect(oidc.refreshTokenGrant(await rp.configuration(), refreshToken)).rejects.toMatchObject({ error: "invalid_grant" });
});

test("a member who does not hold the application sees Tenure's no-access page", async ({ page, factory }) => {
  const { baseUrl } = readE2eServerState();
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const sample = await sampleApplication(factory, tenant, baseUrl);
  rp = sample.party;

  await page.goto(`${rp.url}/login`);
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  await submitSignIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  await expect(page).toHaveURL((url) => url.pathname === "/applications/denied", { timeout: 20_000 });
  await expect(page.getByRole("heading", { level: 1, name: "No access" })).toBeVisible();
  await expect(page.getByText("You don't have access to Sample app. Ask your administrator.")).toBeVisible();
  expect(rp.sessions.size).toBe(0);
});
