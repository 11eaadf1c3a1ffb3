import type pg from "pg";
import { exportToEnvironment } from "@/server/env";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { sealBindPassword } from "@/server/directories/load-directory";
import { organisationalUnit, person, startSlapd, type TSlapd } from "../support/slapd";
import { readE2eServerState } from "./support/e2e-env";
import { answerConfirmation, expect, signIn, test } from "./support/fixtures";
import type { TE2eTenant } from "./support/factory";

// The directory sync through the console, against a real slapd and the e2e
// server's worker: the first sync's dry run, its approval, the run to the end;
// then a person deleted from LDAP, "Sync now", and the member disabled with a
// receipt and the directory's reason.

const PEOPLE = 12;
let slapd: TSlapd;

test.beforeAll(async () => {
  slapd = await startSlapd();
  await slapd.add([organisationalUnit(slapd.suffix, "people")]);
  await slapd.add(Array.from({ length: PEOPLE }, (_, n) => person(slapd.suffix, `sync${n}`)));
});
test.afterAll(async () => slapd.stop());

/** A directory as the settings form would save it (that form is its own slice), bind password sealed with the server's secret. */
async function createDirectory(database: pg.Pool, tenant: TE2eTenant, name: string): Promise<string> {
  const { rows } = await database.query<{ id: string }>(
    `INSERT INTO directories (tenant_id, name, preset, url, bind_dn, base_dn, user_filter, page_size, attribute_mapping)
     VALUES ($1, $2, 'openldap', $3, $4, $5, $6, 100, $7) RETURNING id::text`,
    [tenant.id, name, slapd.url, slapd.rootDn, `ou=people,${slapd.suffix}`, PRESETS.openldap.userFilter, JSON.stringify(PRESETS.openldap.mapping)],
  );
  const id = rows[0]!.id;
  const state = readE2eServerState();
  exportToEnvironment({ DATABASE_URL: state.databaseUrl, NEXTAUTH_SECRET: state.nextauthSecret });
  await database.query("UPDATE directories SET bind_password_sealed = $2 WHERE id = $1", [id, sealBindPassword(BigInt(id), slapd.rootPassword)]);
  return id;
}

test("an owner runs the first sync as a dry run, approves it, and later a person removed from LDAP is disabled with a receipt", async ({ page, factory, database }) => {
  test.setTimeout(90_000);
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  const directoryId = await createDirectory(database, tenant, "Head office LDAP");
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto(`/console/settings/directories/${directoryId}/runs`);
  await expect(page.getByRole("heading", { level: 1, name: "Directory sync" })).toBeVisible();
  await expect(page.getByText("No sync has run yet.")).toBeVisible();
  await page.getByRole("button", { name: "Start the first sync (dry run)" }).click();

  // The dry run: nothing changed yet, the plan lists the people it would create.
  await expect(page).toHaveURL((url) => url.pathname.startsWith(`/console/settings/directories/${directoryId}/runs/`));
  await expect(page.getByTestId("sync-status")).toHaveText("Dry run: waiting for approval", { timeout: 30_000 });
  await expect(page.getByTestId("count-create")).toHaveText(String(PEOPLE));
  await expect(page.getByRole("list", { name: "Creates of this run" }).getByRole("listitem").filter({ hasText: "sync0" }).first()).toBeVisible();
  await page.getByRole("button", { name: "Approve and apply" }).click();
  await answerConfirmation(page, { title: "Apply this plan?", confirm: "Apply the plan" });
  await expect(page.getByTestId("sync-status")).toHaveText("Finished", { timeout: 30_000 });
  await expect(page.getByRole("status").filter({ hasText: `Sync finished: ${PEOPLE} changes applied, 0 errors.` })).toBeVisible();

  // A leaver: deleted from LDAP, then "Sync now".
  const client = await slapd.rootClient();
  await client.del(`uid=sync3,ou=people,${slapd.suffix}`);
  await client.unbind();
  await page.getByRole("link", { name: "All runs" }).click();
  await page.getByRole("button", { name: "Sync now" }).click();
  await expect(page.getByTestId("sync-status")).toHaveText("Finished", { timeout: 30_000 });
  await expect(page.getByTestId("count-deprovision")).toHaveText("1");

  // On a phone, the run page and the runs list fit the width.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole("button", { name: "Deprovisions" }).click();
  await expect(page.getByRole("list", { name: "Deprovisions of this run" }).getByRole("listitem").filter({ hasText: "sync3" })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.getByRole("link", { name: "All runs" }).click();
  await expect(page.getByRole("table", { name: "Sync runs" }).getByRole("row")).toHaveCount(3);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

  const { rows } = await database.query<{ id: string }>("SELECT id::text FROM users WHERE tenant_id = $1 AND username = 'sync3'", [tenant.id]);
  await page.goto(`/console/members/${rows[0]!.id}`);
  await expect(page.getByTestId("lifecycle-state")).toHaveText("Disabled");
  await expect(page.getByTestId("lifecycle-disable-reason")).toHaveText("Reason: No longer in directory Head office LDAP");
  await expect(page.getByRole("region", { name: "Access receipt" })).toBeVisible();
});
