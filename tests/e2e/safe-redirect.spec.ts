import { expect, signIn, test } from "./support/fixtures";

// Issue 10 item 10: a crafted callbackUrl never sends a browser to another site
// after signing in (or from the MFA enrolment and password-change pages).

const BYPASSES = ["/%5Cevil.example", "/%09/evil.example", "//evil.example", "/\\evil.example", "https://evil.example/"];

test("the MFA enrolment page redirects only within the site, whatever the callbackUrl", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  await expect(page).toHaveURL((url) => url.pathname === "/me");

  // No MFA required of this member: the page sends them straight on to the callback, which must be ours.
  for (const bypass of BYPASSES) {
    const response = await page.request.get(`/mfa/enrol?callbackUrl=${bypass}`, { maxRedirects: 0 });
    expect(response.status(), bypass).toBe(307);
    expect(response.headers().location, bypass).toBe("/");
  }
  const kept = await page.request.get(`/mfa/enrol?callbackUrl=${encodeURIComponent("/me/security?tab=mfa")}`, { maxRedirects: 0 });
  expect(kept.headers().location).toBe("/me/security?tab=mfa");
});

test("signing in with a crafted callbackUrl lands on our own site", async ({ page, factory, baseURL }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await page.goto("/sign-in?callbackUrl=/%5Cevil.example");
  await page.getByLabel("Organisation").fill(tenant.slug);
  await page.getByLabel("Username or email").fill(member.username);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.origin === new URL(baseURL!).origin && url.pathname === "/me");
});
