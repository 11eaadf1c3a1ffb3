import { answerConfirmation, expect, signIn, test } from "./support/fixtures";
import { organisationalUnit, person, startSlapd, type TSlapd } from "../support/slapd";

// Issue 13's "done when", end to end in the console against a real slapd: an
// owner connects the directory (test, preview, save), starts the first sync
// from the directory's page, reviews the dry run, approves it and watches it
// finish; later a person removed from LDAP is disabled in Tenure by the next
// sync, with a receipt, and the member page names the directory.

const READER_PASSWORD = "reader-secret-onboarding";
// Twelve people: one leaver is 8% of the directory, under the default 10% safety stop.
const PEOPLE = ["ada", "alan", "grace", "linus", "barbara", "ken", "margaret", "dennis", "edsger", "donald", "frances", "john"];
let slapd: TSlapd;

test.beforeAll(async () => {
  slapd = await startSlapd();
  await slapd.add([organisationalUnit(slapd.suffix, "people"), organisationalUnit(slapd.suffix, "service")]);
  await slapd.add([person(slapd.suffix, "reader", { ou: "service", password: READER_PASSWORD })]);
  await slapd.add(PEOPLE.map((uid) => person(slapd.suffix, uid)));
});
test.afterAll(async () => slapd?.stop());

test("an owner connects a directory, approves its first sync, and a person removed from LDAP is disabled with a receipt", async ({ page, factory, database }) => {
  test.setTimeout(120_000);
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  // Connect: the OpenLDAP preset, a read-only service account, test and preview, then save.
  await page.goto("/console/settings/directories");
  await page.getByRole("link", { name: "Connect a directory" }).click();
  const form = page.getByRole("form", { name: "New directory" });
  await form.getByLabel("Name", { exact: true }).fill("Head office LDAP");
  await form.getByLabel("Address", { exact: true }).fill(slapd.url);
  await form.getByLabel("Bind DN", { exact: true }).fill(`uid=reader,ou=service,${slapd.suffix}`);
  await form.getByLabel("Bind password", { exact: true }).fill(READER_PASSWORD);
  await form.getByLabel("Base DN", { exact: true }).fill(`ou=people,${slapd.suffix}`);
  await form.getByRole("button", { name: "Test connection" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Connected and bound" })).toBeVisible();
  await form.getByRole("button", { name: "Preview 20 entries" }).click();
  await expect(page.getByRole("region", { name: "Preview of the mapped entries" }).getByRole("row")).toHaveCount(PEOPLE.length + 1);
  await form.getByRole("button", { name: "Connect the directory" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Head office LDAP" })).toBeVisible();

  // The first sync, from the directory's page: a dry run listing everyone it would create, then approved.
  await page.getByRole("link", { name: "Sync runs and Sync now" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Directory sync" })).toBeVisible();
  await page.getByRole("button", { name: "Start the first sync (dry run)" }).click();
  await expect(page.getByTestId("sync-status")).toHaveText("Dry run: waiting for approval", { timeout: 30_000 });
  await expect(page.getByTestId("count-create")).toHaveText(String(PEOPLE.length));
  const { rows: before } = await database.query("SELECT 1 FROM users WHERE tenant_id = $1 AND username = ANY($2)", [tenant.id, PEOPLE]);
  expect(before).toHaveLength(0);
  await page.getByRole("button", { name: "Approve and apply" }).click();
  await answerConfirmation(page, { title: "Apply this plan?", confirm: "Apply the plan" });
  await expect(page.getByTestId("sync-status")).toHaveText("Finished", { timeout: 30_000 });
  const { rows: created } = await database.query<{ id: string; username: string }>(
    "SELECT id::text, username::text FROM users WHERE tenant_id = $1 AND username = ANY($2) AND source = 'ldap' ORDER BY username",
    [tenant.id, PEOPLE],
  );
  expect(created.map((row) => row.username)).toEqual([...PEOPLE].sort());

  // Grace leaves: her entry goes from LDAP, and the next sync disables her through the lifecycle.
  const client = await slapd.rootClient();
  await client.del(`uid=grace,ou=people,${slapd.suffix}`);
  await client.unbind();
  await page.getByRole("link", { name: "All runs" }).click();
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByTestId("sync-status")).toHaveText("Finished", { timeout: 30_000 });
  await expect(page.getByTestId("count-deprovision")).toHaveText("1");

  const grace = created.find((row) => row.username === "grace")!;
  await page.goto(`/console/members/${grace.id}`);
  await expect(page.getByTestId("lifecycle-state")).toHaveText("Disabled");
  await expect(page.getByTestId("lifecycle-disable-reason")).toHaveText("Reason: No longer in directory Head office LDAP");
  const receipt = page.getByRole("region", { name: "Access receipt" });
  await expect(receipt).toBeVisible();
  await expect(receipt).toContainText("Directory Head office LDAP");
  // The others are untouched.
  const { rows: active } = await database.query("SELECT 1 FROM users WHERE tenant_id = $1 AND username = ANY($2) AND state = 'active'", [tenant.id, PEOPLE]);
  expect(active).toHaveLength(PEOPLE.length - 1);
});
