import { chooseLifecycleAction } from "./support/lifecycle-actions";
import { expect, signIn, test } from "./support/fixtures";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";

// Issue 15: an owner connects an application's SCIM endpoint (the test rig's
// scimmy peer, reached by the app server over loopback), tests it, runs the
// first dry-run reconciliation and approves it; granting the application
// creates the member's account at the peer, and disabling the member
// deactivates it, both shown on the member page.

let peer: TScimPeer;
test.beforeAll(async () => {
  peer = await startScimPeer();
});
test.afterAll(async () => peer?.stop());

test("an owner connects a SCIM application; a grant provisions the member and a disable deactivates the account", async ({ page, factory, database }) => {
  // Three rounds of background jobs (dry run, create, deactivate), each waited for.
  test.setTimeout(90_000);
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const application = (await database.query<{ id: string }>("INSERT INTO applications (tenant_id, name) VALUES ($1, 'Wiki') RETURNING id", [tenant.id])).rows[0]!;
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto(`/console/apps/${application.id}/provisioning`);
  await expect(page.getByTestId("provisioning-status")).toHaveText("Not connected.");
  const form = page.getByRole("form", { name: "SCIM settings" });
  await form.getByLabel("SCIM base URL").fill(peer.url);
  await form.getByLabel("Bearer token").fill(peer.token);
  // The application's own pace: refused on its field outside 1 to 1,000, then saved.
  await expect(form.getByLabel("Requests per second at most")).toHaveValue("200");
  await form.getByLabel("Requests per second at most").fill("0");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByText("A whole number from 1 to 1,000")).toBeVisible();
  await form.getByLabel("Requests per second at most").fill("50");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved. The token is stored encrypted and will not be shown again.")).toBeVisible();
  await expect(form.getByLabel("Bearer token")).toHaveValue("");
  expect((await database.query<{ rate: number }>("SELECT rate_limit_per_second AS rate FROM application_scim_settings WHERE application_id = $1", [application.id])).rows[0]?.rate).toBe(50);

  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByText("Connected: the application answers as a SCIM 2.0 service provider.")).toBeVisible();
  await page.getByRole("button", { name: "Dry run" }).click();
  // The dry run is a job: the worker polls, so allow it a few rounds.
  await expect(page.getByTestId("reconciliation-runs")).toContainText("completed", { timeout: 20_000 });
  await page.getByRole("button", { name: "Approve and turn on" }).click();
  await expect(page.getByTestId("provisioning-status")).toContainText("accounts follow Tenure");

  await page.goto(`/console/members/${ada.id}?tab=access`);
  const applications = page.getByRole("region", { name: "Applications", exact: true });
  await applications.getByRole("button", { name: "Add application…" }).click();
  await applications.getByLabel("Application to add").selectOption({ label: "Wiki" });
  await applications.getByRole("button", { name: "Add", exact: true }).click();
  await expect(applications.getByRole("listitem", { name: "Wiki" })).toBeVisible();

  const state = page.getByTestId(`app-account-state-${application.id}`);
  await expect(async () => {
    await page.reload();
    await expect(state).toHaveText("Provisioned", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  expect([...peer.accounts.values()].find((account) => account.externalId === ada.id)).toMatchObject({ userName: ada.username, active: true });

  await chooseLifecycleAction(page, "Disable…");
  const dialog = page.getByRole("dialog", { name: "Disable Ada Lovelace?" });
  await dialog.getByLabel("Reason").fill("Left the company");
  await dialog.getByRole("button", { name: "Disable Ada Lovelace" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(async () => {
    await page.reload();
    await expect(state).toHaveText("Deactivated", { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  expect([...peer.accounts.values()].find((account) => account.externalId === ada.id)?.active).toBe(false);
  // The disable's access receipt lists the application account and when the application closed it.
  await expect(page.getByRole("region", { name: "Access receipt" }).first().getByTestId("receipt-account")).toHaveText(/^Wiki: deactivated \S/);
});
