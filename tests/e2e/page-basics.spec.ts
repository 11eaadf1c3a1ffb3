import type { Page } from "@playwright/test";
import { expect, openSettled, signIn, test } from "./support/fixtures";

// What every page owes a visitor before anything is clicked: it hydrates
// without React's text-mismatch error (#418, which the country list once caused
// because Node and Chromium name some countries differently), and the browser
// finds the site's icon.

/** Every console message or page error that reports a hydration failure, collected while the page loads. */
function watchHydrationErrors(page: Page): string[] {
  const seen: string[] = [];
  const isHydration = (text: string) => /hydrat|#418|#423|#425|did not match/i.test(text);
  page.on("console", (message) => {
    if (message.type() === "error" && isHydration(message.text())) seen.push(message.text());
  });
  page.on("pageerror", (error) => {
    if (isHydration(`${error.message}\n${error.stack ?? ""}`)) seen.push(error.message);
  });
  return seen;
}

test("the pages with the country list hydrate without a mismatch when loaded directly", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  const member = await factory.createMember(tenant);
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname !== "/sign-in");

  const errors = watchHydrationErrors(page);
  for (const path of ["/console/members/new", "/console/members/onboard", `/console/members/${member.id}/edit`, "/me"]) {
    await openSettled(page, path);
    // Hong Kong is one of the names the two engines disagree on: it must be in the list.
    await expect(page.getByLabel("Phone number country").first().locator("option", { hasText: "Hong Kong" })).toHaveCount(1);
    expect(errors, `hydration errors on ${path}`).toEqual([]);
  }
});

test("/favicon.ico answers with an icon, and pages point the browser at one", async ({ page, request }) => {
  const response = await request.get("/favicon.ico");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toMatch(/^image\//);
  expect((await response.body()).length).toBeGreaterThan(0);

  await page.goto("/sign-in");
  const icons = page.locator('head link[rel="icon"]');
  await expect(icons.first()).toBeAttached();
  for (const href of await icons.evaluateAll((links) => links.map((link) => (link as HTMLLinkElement).href))) {
    expect((await request.get(href)).status(), href).toBe(200);
  }
});

test("the landline field refuses what is not a phone number, under the field, and keeps a real one", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  await signIn(page, { organisation: tenant.slug, login: member.username, password: member.password });
  await expect(page).toHaveURL((url) => url.pathname === "/me");

  const landline = page.getByLabel("Landline");
  await landline.fill("abc");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(landline).toHaveAttribute("aria-invalid", "true");
  await expect(landline).toHaveAccessibleDescription("Enter a phone number: digits, spaces, +, -, ( ) and an extension such as “ext. 12”");

  await landline.fill("+44 20 7946 0958 ext. 12");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(landline).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByTestId("member-landline")).toHaveText("+44 20 7946 0958 ext. 12");
});
