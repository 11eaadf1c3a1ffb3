import { createHash } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, openSettled, signIn, test } from "./support/fixtures";
import type { TE2eMember } from "./support/factory";

// Issue 14 item 2 in the console: an owner enables sign-in for an application
// from its page, sees the secret once (only its hash is stored), fixes a
// redirect URI the form refuses, rotates the secret (after "Confirm it's you",
// the previous one listed with its expiry) and rotates the signing keys.

// A long flow (two secrets, a step-up, a key rotation: RSA key generation) on a shared two-core machine.
test.setTimeout(120_000);

const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
const sha256 = (value: string) => createHash("sha256").update(value, "utf8").digest("hex");

async function confirmItsMe(page: Page, owner: TE2eMember) {
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Your password").fill(owner.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}

/** The console's "are you sure?" for a change that takes nothing away (answerConfirmation answers the destructive ones). */
async function confirmChange(page: Page, title: string, confirm: string) {
  const dialog = page.getByRole("dialog", { name: title, exact: true });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: confirm, exact: true }).click();
  await expect(dialog).toHaveCount(0);
}

/** Reads the secret from the one dialog that shows it, checks the warning, closes it. */
async function takeSecret(page: Page): Promise<string> {
  const dialog = page.getByRole("dialog", { name: "Client secret of Payroll" });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("you won't see it again");
  const secret = await dialog.getByLabel("Client secret", { exact: true }).inputValue();
  expect(secret).toMatch(/^tnr_cs_[A-Za-z0-9_-]{43}$/);
  await dialog.getByRole("button", { name: "I have copied it" }).click();
  await expect(dialog).toHaveCount(0);
  return secret;
}

test("an owner enables an application's sign-in, sees the secret once, fixes a redirect URI, rotates the secret and the signing keys", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  const { rows } = await database.query<{ id: string }>("INSERT INTO applications (tenant_id, name) VALUES ($1, 'Payroll') RETURNING id::text", [tenant.id]);
  const applicationId = rows[0]!.id;
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console", { timeout: 30_000 });

  await openSettled(page, "/console/apps");
  await page.getByRole("link", { name: "Payroll", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/console/apps/${applicationId}`);
  await expect(page.getByRole("heading", { level: 1, name: "Payroll" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Sign-in (OpenID Connect)" })).toBeVisible();
  await expect(page.getByText("Sign-in is not enabled")).toBeVisible();

  const form = page.getByRole("form", { name: "Sign-in settings" });
  await form.getByLabel("Redirect URIs", { exact: true }).fill("https://payroll.example.test/callback");
  await form.getByRole("button", { name: "Enable sign-in" }).click();
  const first = await takeSecret(page);
  await expect(notice(page, "Sign-in enabled.")).toBeVisible();

  // Stored as its hash only; the page no longer holds it.
  const stored = await database.query<{ secret_hash: string; hint: string }>("SELECT secret_hash, hint FROM application_client_secrets WHERE application_id = $1", [applicationId]);
  expect(stored.rows).toEqual([{ secret_hash: sha256(first), hint: first.slice(-4) }]);
  expect(await page.content()).not.toContain(first);
  await expect(page.getByLabel("Issuer", { exact: true })).toHaveValue(new RegExp(`/oidc/${tenant.slug}$`));
  await expect(page.getByLabel("Discovery URL", { exact: true })).toHaveValue(new RegExp(`/oidc/${tenant.slug}/\\.well-known/openid-configuration$`));
  await expect(page.getByLabel("Client id", { exact: true })).toHaveValue(/^tnr_/);
  await expect(page.getByRole("table", { name: "Client secrets that still work" })).toContainText(`…${first.slice(-4)}`);

  // A wildcard is refused under the field, nothing saved; then a list of two exact addresses is.
  const settings = page.getByRole("form", { name: "Sign-in settings" });
  const redirects = settings.getByLabel("Redirect URIs", { exact: true });
  await redirects.fill("https://payroll.example.test/callback\nhttps://*.example.test/callback");
  await settings.getByRole("button", { name: "Save sign-in settings" }).click();
  await expect(redirects).toHaveAttribute("aria-invalid", "true");
  await expect(settings.getByRole("alert").filter({ hasText: "Line 2: Wildcards are not allowed" })).toBeVisible();
  await redirects.fill("https://payroll.example.test/callback\nhttp://localhost:4000/callback");
  await settings.getByRole("button", { name: "Save sign-in settings" }).click();
  await expect(notice(page, "Sign-in settings saved.")).toBeVisible();
  const saved = await database.query<{ redirect_uris: string[] }>("SELECT redirect_uris FROM applications WHERE id = $1", [applicationId]);
  expect(saved.rows[0]!.redirect_uris).toEqual(["https://payroll.example.test/callback", "http://localhost:4000/callback"]);

  // Six quiet minutes later, rotating asks "Confirm it's you", then shows the new secret once; the old one works for 24 hours.
  await database.query("UPDATE sessions SET stepped_up_at = now() - interval '6 minutes' WHERE user_id = $1", [owner.id]);
  await expect(page.getByLabel("The previous secret keeps working")).toHaveValue("24");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  await confirmChange(page, "Rotate the client secret?", "Rotate the secret");
  await confirmItsMe(page, owner);
  const second = await takeSecret(page);
  expect(second).not.toBe(first);
  const secrets = page.getByRole("table", { name: "Client secrets that still work" });
  await expect(secrets.getByRole("row")).toHaveCount(3);
  await expect(secrets.getByRole("row").filter({ hasText: `…${second.slice(-4)}` })).toContainText("Current");
  await expect(secrets.getByRole("row").filter({ hasText: `…${first.slice(-4)}` }).getByRole("button", { name: `Revoke the secret ending ${first.slice(-4)}` })).toBeVisible();

  // Settings → Signing keys: the next key is published before it signs; Rotate makes it current.
  await openSettled(page, "/console/settings/signing-keys");
  await expect(page.getByRole("heading", { level: 1, name: "Signing keys" })).toBeVisible();
  const keys = page.getByRole("table", { name: "Signing keys" });
  const kidOf = async (status: string) => (await keys.getByRole("row").filter({ hasText: status }).getByRole("cell").first().textContent())!.trim();
  const [currentKid, nextKid] = [await kidOf("Signing now"), await kidOf("Next (published, not signing yet)")];
  await page.getByRole("button", { name: "Rotate", exact: true }).click();
  await confirmChange(page, "Rotate the signing keys?", "Rotate the keys");
  await expect(notice(page, "Rotated: the key")).toBeVisible();
  await expect(keys.getByRole("row").filter({ hasText: "Signing now" })).toContainText(nextKid);
  await expect(keys.getByRole("row").filter({ hasText: currentKid })).toContainText("Retired");

  // On a phone, neither page scrolls sideways.
  await page.setViewportSize({ width: 390, height: 800 });
  for (const path of [`/console/apps/${applicationId}`, "/console/settings/signing-keys"]) {
    await openSettled(page, path);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(390);
  }
});
