import type { Page } from "@playwright/test";
import { answerConfirmation, expect, formAlert, signIn, test } from "./support/fixtures";
import { organisationalUnit, person, startSlapd, type TSlapd } from "../support/slapd";
import { PRESETS } from "../../server/directories/attribute-mapping";

// Issue 13, item 1: an owner connects an OpenLDAP directory (a real slapd,
// started here; the app server reaches it over loopback): the preset fills
// the mapping, "Test connection" binds, "Preview 20 entries" shows the mapped
// entries with the invalid email in words, the save asks nothing more of a
// freshly signed-in owner, and the directory is listed. At 390 px no page
// scrolls sideways.

const READER_PASSWORD = "reader-secret-e2e";
const PHONE_WIDTH = 390;
let slapd: TSlapd;

test.beforeAll(async () => {
  slapd = await startSlapd();
  await slapd.add([organisationalUnit(slapd.suffix, "people"), organisationalUnit(slapd.suffix, "service")]);
  await slapd.add([person(slapd.suffix, "reader", { ou: "service", password: READER_PASSWORD })]);
  await slapd.add([person(slapd.suffix, "grace", { mail: "not-an-email" }), person(slapd.suffix, "ada"), person(slapd.suffix, "alan")]);
});
test.afterAll(async () => slapd?.stop());

async function expectNoSidewaysScroll(page: Page) {
  await page.setViewportSize({ width: PHONE_WIDTH, height: 800 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(PHONE_WIDTH);
  await page.setViewportSize({ width: 1280, height: 800 });
}

test("an owner connects a directory from the OpenLDAP preset: test, preview with a field problem, save, listed", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto("/console/settings/directories");
  await expect(page.getByRole("heading", { level: 1, name: "Directories" })).toBeVisible();
  await expect(page.getByText("No directory connected")).toBeVisible();
  await expectNoSidewaysScroll(page);
  await page.getByRole("link", { name: "Connect a directory" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Connect a directory" })).toBeVisible();

  const form = page.getByRole("form", { name: "New directory" });
  await expect(form.getByLabel("Preset", { exact: true })).toHaveValue("openldap");
  await expect(form.getByLabel("User filter", { exact: true })).toHaveValue("(objectClass=inetOrgPerson)");
  await expect(form.getByLabel("Stable id attribute", { exact: true })).toHaveValue("entryUUID");
  // The preset picker fills the mapping and the filter; back again.
  await form.getByLabel("Preset", { exact: true }).selectOption({ label: "Active Directory" });
  await expect(form.getByLabel("Stable id attribute", { exact: true })).toHaveValue("objectGUID");
  await expect(form.getByLabel("Username attribute", { exact: true })).toHaveValue("sAMAccountName");
  await expect(form.getByLabel("User filter", { exact: true })).toHaveValue("(&(objectCategory=person)(objectClass=user))");
  await form.getByLabel("Preset", { exact: true }).selectOption({ label: "OpenLDAP (inetOrgPerson)" });
  await expect(form.getByLabel("Stable id attribute", { exact: true })).toHaveValue("entryUUID");
  await expect(form.getByLabel("Username attribute", { exact: true })).toHaveValue("uid");
  await form.getByLabel("Name", { exact: true }).fill("Head office LDAP");
  await form.getByLabel("Address", { exact: true }).fill(slapd.url);
  await form.getByLabel("Bind DN", { exact: true }).fill(`uid=reader,ou=service,${slapd.suffix}`);
  await form.getByLabel("Bind password", { exact: true }).fill(READER_PASSWORD);
  await form.getByLabel("Base DN", { exact: true }).fill(`ou=people,${slapd.suffix}`);

  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Connected and bound" })).toBeVisible();

  await form.getByRole("button", { name: "Preview 20 entries" }).click();
  const preview = page.getByRole("region", { name: "Preview of the mapped entries" });
  await expect(preview).toBeVisible();
  await expect(preview.getByRole("row")).toHaveCount(4);
  const grace = preview.getByRole("row").filter({ hasText: `uid=grace,ou=people,${slapd.suffix}` });
  await expect(grace).toContainText("not-an-email");
  await expect(grace).toContainText("Enter a valid email address");
  await expect(page.getByText("1 of them would not sync")).toBeVisible();
  await expectNoSidewaysScroll(page);

  await form.getByRole("button", { name: "Connect the directory" }).click();
  await expect(page).toHaveURL((url) => /^\/console\/settings\/directories\/\d+$/.test(url.pathname));
  await expect(page.getByRole("heading", { level: 1, name: "Head office LDAP" })).toBeVisible();
  await expect(page.getByLabel("Bind password", { exact: true })).toHaveValue("");
  await expect(page.getByText("Stored — leave empty to keep.")).toBeVisible();
  await expectNoSidewaysScroll(page);

  await page.getByRole("link", { name: "Directories", exact: true }).first().click();
  const listed = page.getByRole("list", { name: "Directories" }).getByRole("listitem");
  await expect(listed).toHaveCount(1);
  await expect(listed).toContainText("Head office LDAP");
  await expect(listed).toContainText("Last sync: never");

  // Deleting asks first, and says its members stay as local members.
  await listed.getByRole("link", { name: "Head office LDAP" }).click();
  await page.getByRole("button", { name: "Delete the directory" }).click();
  await answerConfirmation(page, { title: "Delete the directory Head office LDAP?", confirm: "Delete the directory" });
  await expect(page).toHaveURL((url) => url.pathname === "/console/settings/directories");
  await expect(page.getByText("No directory connected")).toBeVisible();
});

test("an admin reads a directory's settings, cannot change them, and tests the saved directory", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  const mapping = JSON.stringify(PRESETS.openldap.mapping);
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO directories (tenant_id, name, preset, url, base_dn, user_filter, attribute_mapping)
     VALUES ($1, 'Branch LDAP', 'openldap', $2, $3, '(objectClass=inetOrgPerson)', $4::jsonb) RETURNING id::text`,
    [tenant.id, slapd.url, `ou=people,${slapd.suffix}`, mapping],
  );
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto("/console/settings/directories");
  await expect(page.getByRole("link", { name: "Connect a directory" })).toHaveCount(0);
  await page.getByRole("link", { name: "Branch LDAP" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `/console/settings/directories/${rows[0]!.id}`);
  await expect(page.getByText("Only owners change a directory's settings.")).toBeVisible();
  await expect(page.getByLabel("Address", { exact: true })).toBeDisabled();
  await expect(page.getByRole("button", { name: "Save the directory" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Delete the directory" })).toHaveCount(0);
  // No bind DN: an anonymous bind, which this slapd lets read nothing (not even the base DN).
  await page.getByRole("button", { name: "Test connection" }).click();
  await expect(formAlert(page, "does not exist in the directory, or the bind account may not read it")).toBeVisible();
  await expectNoSidewaysScroll(page);
});

test("two owners edit the same directory: the later save is refused with the earlier one's time, Reload shows it, then saves go through", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO directories (tenant_id, name, preset, url, base_dn, user_filter, attribute_mapping)
     VALUES ($1, 'Branch LDAP', 'openldap', $2, $3, '(objectClass=inetOrgPerson)', $4::jsonb) RETURNING id::text`,
    [tenant.id, slapd.url, `ou=people,${slapd.suffix}`, JSON.stringify(PRESETS.openldap.mapping)],
  );
  const path = `/console/settings/directories/${rows[0]!.id}`;
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  // The same settings open in a second tab, before the first one saves.
  const second = await page.context().newPage();
  await second.goto(path);
  await page.goto(path);

  const first = page.getByRole("form", { name: "Directory settings" });
  await first.getByLabel("Name", { exact: true }).fill("Branch LDAP (north)");
  await first.getByRole("button", { name: "Save the directory" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Directory saved." })).toBeVisible();

  const stale = second.getByRole("form", { name: "Directory settings" });
  await stale.getByLabel("Name", { exact: true }).fill("Branch LDAP (south)");
  await stale.getByRole("button", { name: "Save the directory" }).click();
  const notice = second.getByRole("alert").filter({ hasText: "These settings were changed by someone else." });
  await expect(notice).toContainText(/Someone changed the settings of Branch LDAP \(north\) at \d{4}-\d\d-\d\dT/);
  const { rows: stored } = await database.query<{ name: string }>("SELECT name FROM directories WHERE id = $1", [rows[0]!.id]);
  expect(stored[0]!.name).toBe("Branch LDAP (north)");

  await notice.getByRole("button", { name: "Reload" }).click();
  await expect(stale.getByLabel("Name", { exact: true })).toHaveValue("Branch LDAP (north)");
  // From the version it now holds, this tab saves, and saves again without reloading.
  for (const name of ["Branch LDAP (south)", "Branch LDAP (south-west)"]) {
    await stale.getByLabel("Name", { exact: true }).fill(name);
    await stale.getByRole("button", { name: "Save the directory" }).click();
    await expect(second.getByRole("status").filter({ hasText: "Directory saved." })).toBeVisible();
    await expect(second.getByRole("heading", { level: 1, name })).toBeVisible();
  }
  await expect(second.getByRole("alert").filter({ hasText: "changed by someone else" })).toHaveCount(0);
  await second.close();
});
