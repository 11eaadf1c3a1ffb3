import type { Page } from "@playwright/test";
import type pg from "pg";
import { answerConfirmation, expect, openSettled, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eMember } from "./support/factory";
import { chooseLifecycleAction } from "./support/lifecycle-actions";

// Forms whose procedure became sensitive (server/auth/sensitive-operations.ts)
// ask "Confirm it's you" after five quiet minutes, then finish what they sent.

const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

async function signInQuietAdmin(page: Page, factory: E2eFactory, database: pg.Pool) {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin, goQuiet: () => goQuiet(database, admin) };
}

/** Signed in six minutes ago, as far as the step-up is concerned. */
const goQuiet = (database: pg.Pool, admin: TE2eMember) =>
  database.query("UPDATE sessions SET stepped_up_at = now() - interval '6 minutes' WHERE user_id = $1", [admin.id]);

async function confirmItsMe(page: Page, admin: TE2eMember) {
  const dialog = page.getByRole("dialog", { name: "Confirm it's you" });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel("Your password").fill(admin.password);
  await dialog.getByRole("button", { name: "Confirm" }).click();
  await expect(dialog).toBeHidden();
}

test("changing a policy's permission and deleting a role ask “Confirm it's you”, then go through", async ({ page, factory, database }) => {
  const { tenant, admin, goQuiet } = await signInQuietAdmin(page, factory, database);
  await database.query("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, 'Read tickets', 'tickets:read')", [tenant.id]);
  await database.query("INSERT INTO roles (tenant_id, name) VALUES ($1, 'Support')", [tenant.id]);
  await goQuiet();

  await openSettled(page, "/console/roles");
  await page.getByRole("navigation", { name: "Access catalogue" }).getByRole("link", { name: "Policies", exact: true }).click();
  await page.getByRole("listitem", { name: "Read tickets" }).getByRole("button", { name: "Edit" }).click();
  const edit = page.getByRole("form", { name: "Edit “Read tickets”" });
  await edit.getByLabel("Permission").fill("members:*");
  await edit.getByRole("button", { name: "Save" }).click();
  await confirmItsMe(page, admin);
  await expect(notice(page, "Saved the policy “Read tickets”.")).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Read tickets" })).toContainText("members:*");

  await goQuiet();
  await openSettled(page, "/console/roles");
  await page.getByRole("listitem", { name: "Support" }).getByRole("button", { name: "Delete" }).click();
  await answerConfirmation(page, { title: "Delete “Support”?", confirm: "Delete role" });
  await confirmItsMe(page, admin);
  await expect(page.getByText("No roles yet. Create the first one above.")).toBeVisible();
});

test("restoring from the recycle bin asks “Confirm it's you”, then restores", async ({ page, factory, database }) => {
  const { tenant, admin, goQuiet } = await signInQuietAdmin(page, factory, database);
  const alan = await factory.createMember(tenant, { fullName: "Alan Turing" });
  await openSettled(page, `/console/members/${alan.id}`);
  await chooseLifecycleAction(page, "Delete…");
  const dialog = page.getByRole("dialog", { name: "Delete Alan Turing?" });
  await dialog.getByRole("button", { name: "Delete Alan Turing" }).click();
  await expect(dialog).toHaveCount(0);

  await goQuiet();
  await openSettled(page, "/console/members/recycle-bin");
  await page.getByRole("table", { name: "Deleted members" }).getByRole("button", { name: "Restore Alan Turing" }).click();
  await confirmItsMe(page, admin);
  await expect(notice(page, "Restored Alan Turing.")).toBeVisible();
  await expect(page.getByText("The recycle bin is empty.")).toBeVisible();
});

test("granting a policy back “as before” asks “Confirm it's you”, then grants it", async ({ page, factory, database }) => {
  const { tenant, admin, goQuiet } = await signInQuietAdmin(page, factory, database);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const { rows } = await database.query<{ id: string }>("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, 'Read tickets', 'tickets:read') RETURNING id", [tenant.id]);
  await database.query("INSERT INTO member_policies (user_id, policy_id) VALUES ($1, $2)", [ada.id, rows[0]!.id]);

  await openSettled(page, `/console/members/${ada.id}`);
  await chooseLifecycleAction(page, "Disable…");
  const disable = page.getByRole("dialog", { name: "Disable Ada Lovelace?" });
  await disable.getByLabel("Reason").fill("On leave");
  await disable.getByRole("button", { name: "Disable Ada Lovelace" }).click();
  await expect(disable).toHaveCount(0);
  await chooseLifecycleAction(page, "Enable…");
  const enable = page.getByRole("dialog", { name: "Enable Ada Lovelace?" });
  await enable.getByRole("button", { name: "Enable Ada Lovelace" }).click();
  await expect(enable).toHaveCount(0);

  await goQuiet();
  const regrant = page.getByRole("region", { name: "Grant access as before?" });
  await regrant.getByRole("button", { name: "Grant 1 again" }).click();
  await confirmItsMe(page, admin);
  await expect(page.getByRole("status").filter({ hasText: "Granted again: 0 application(s), 1 policy." })).toBeVisible();
  await expect(regrant).toHaveCount(0);
});
