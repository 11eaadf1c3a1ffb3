import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";

// Issue 12, item 8: an owner grants a sensitive policy; within seconds the
// worker's alert reaches the notification centre (the bell's count, the
// notification opening its audit event) and the outbox; the rules page.

const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });

test("a sensitive grant alerts: the bell counts it, the notification opens its audit event, the mail is in the outbox", async ({ page, factory, database }) => {
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  // The owner acts alone (the default rule alerts owners): the other admin is alerted too.
  const admin = await factory.createMember(tenant, { role: "admin" });
  const member = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  await database.query("INSERT INTO policies (tenant_id, name, permission) VALUES ($1, 'Delete members', 'members:delete')", [tenant.id]);
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await expect(page.getByRole("link", { name: "Notifications, 0 unread" })).toBeVisible();

  await page.goto(`/console/members/${member.id}?tab=access`);
  const policies = page.getByRole("region", { name: "Direct policies", exact: true });
  await policies.getByRole("button", { name: "Add policy…" }).click();
  await policies.getByLabel("Policy to add").selectOption({ label: "Delete members (members:delete)" });
  await policies.getByRole("button", { name: "Add", exact: true }).click();
  await expect(notice(page, "Granted the policy “Delete members”.")).toBeVisible();

  // The job runs within seconds of the commit; the bell asks again on each page load.
  await expect(async () => {
    await page.reload();
    await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });

  await page.getByRole("link", { name: "Notifications, 1 unread" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/notifications");
  const alert = page.getByRole("list", { name: "Notifications" }).getByRole("listitem").first();
  await expect(alert).toContainText("Policy “Delete members” granted to Ada Lovelace");
  await expect(alert).toContainText("members:delete");
  await alert.getByRole("link", { name: "Open the audit event" }).click();
  await expect(page).toHaveURL((url) => /^\/console\/audit\/\d+$/.test(url.pathname));
  await expect(page.getByRole("heading", { level: 1, name: "Policy granted" })).toBeVisible();
  await expect(page.getByRole("main")).toContainText("Ada Lovelace");
  await expect(page.getByRole("link", { name: "Notifications, 0 unread" })).toBeVisible();

  const { rows } = await database.query<{ recipient_id: string }>("SELECT recipient_id::text FROM notifications WHERE tenant_id = $1 ORDER BY recipient_id", [tenant.id]);
  expect(rows.map((row) => row.recipient_id).sort()).toEqual([owner.id, admin.id].sort());

  await page.goto("/console/settings/outbox");
  const mail = page.getByRole("list", { name: "Mails" }).getByRole("listitem").filter({ hasText: "Tenure alert: Policy “Delete members” granted to Ada Lovelace" });
  await expect(mail).toHaveCount(2);
  await mail.first().getByText("Read").click();
  await expect(mail.first()).toContainText("/console/audit/");
});

test("an owner edits an alert rule on Settings → Alerts; an admin only reads them", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto("/console/settings/alerts");
  const rules = page.getByRole("list", { name: "Alert rules" });
  // The organisation's default rules: one per event class (issue 15 added "webhook endpoint disabled").
  await expect(rules.getByRole("listitem")).toHaveCount(6);
  await page.getByRole("button", { name: "Edit the Export rule" }).click();
  const form = page.getByRole("form", { name: "Edit the alert rule" });
  await form.getByRole("checkbox", { name: "By mail (through the outbox)" }).check();
  await form.getByRole("checkbox", { name: `${admin.fullName}` }).check();
  await form.getByRole("button", { name: "Save the rule" }).click();
  await expect(notice(page, "Rule saved.")).toBeVisible();
  await expect(rules.getByRole("listitem").filter({ hasText: "Export" })).toContainText(`To owners, ${admin.fullName}, by console and mail`);

  await page.getByRole("button", { name: "New rule" }).click();
  const created = page.getByRole("form", { name: "New alert rule" });
  await created.getByLabel("Alert on").selectOption({ label: "Bulk lifecycle action" });
  await created.getByLabel("At least this many members").fill("1");
  await created.getByRole("button", { name: "Create the rule" }).click();
  await expect(created.getByLabel("At least this many members")).toHaveAccessibleDescription("At least 2");
  await created.getByLabel("At least this many members").fill("50");
  await created.getByRole("button", { name: "Create the rule" }).click();
  await expect(notice(page, "Rule created.")).toBeVisible();
  await expect(rules.getByRole("listitem")).toHaveCount(7);

  await page.context().clearCookies();
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.goto("/console/settings/alerts");
  await expect(page.getByText("Only owners change alert rules")).toBeVisible();
  await expect(page.getByRole("button", { name: "New rule" })).toHaveCount(0);
  await expect(rules.getByRole("listitem")).toHaveCount(7);
});

test.describe("on a phone (390×844)", () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test("the bell, the notification centre, an audit event and the rules fit without sideways scrolling", async ({ page, factory, database }) => {
    const tenant = await factory.createTenant("Northwind Logistics and Distribution");
    const owner = await factory.createMember(tenant, { role: "owner", fullName: "Zoe Administrator-Longname of Northwind" });
    const { rows } = await database.query<{ id: string }>(
      `INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, changes) VALUES ($1, $2, 'members.exported', 'tenant', $1, '{}') RETURNING id`,
      [tenant.id, owner.id],
    );
    const eventId = rows[0]!.id;
    await database.query(
      `INSERT INTO notifications (tenant_id, recipient_id, audit_event_id, event_class, title, body) VALUES ($1, $2, $3, 'export', $4, $5)`,
      [tenant.id, owner.id, eventId, `Members exported by ${owner.fullName}`, "An export of the member list (csv), with a rather long sentence that must wrap on a phone screen."],
    );
    await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
    await expect(page).toHaveURL((url) => url.pathname === "/console");
    await expect(page.getByRole("link", { name: "Notifications, 1 unread" })).toBeVisible();

    for (const path of ["/console", "/console/notifications", `/console/audit/${eventId}`, "/console/settings/alerts"]) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1 }).first()).toBeVisible();
      await page.waitForLoadState("networkidle");
      if (path === "/console/settings/alerts") await page.getByRole("button", { name: "Edit the Sensitive grant rule" }).click();
      const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
      expect(scrollWidth, `${path} is ${scrollWidth} px wide`).toBeLessThanOrEqual(390);
    }
  });
});
