import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eMember, TE2eTenant } from "./support/factory";

// The console's member pages: create (with a server-side field error), the
// detail page with its tabs and timeline, edit, a stale edit, and ids that are
// not the admin's to see. Every test arranges its own organisation.

async function signInAsAdmin(page: Page, factory: E2eFactory): Promise<{ tenant: TE2eTenant; admin: TE2eMember }> {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

const memberPath = (member: { id: string }) => `/console/members/${member.id}`;
const isMemberPage = (url: URL) => /^\/console\/members\/\d+$/.test(url.pathname);
const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
const timelineEvents = (page: Page) => page.getByRole("list", { name: "Timeline" }).getByTestId("timeline-event");

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation", { name: "Member sections" }).getByRole("link", { name }).click();
  await expect(page.getByRole("navigation", { name: "Member sections" }).getByRole("link", { name })).toHaveAttribute("aria-current", "page");
}

test("an admin creates a member; a taken username is shown on its field until fixed", async ({ page, factory }) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const existing = await factory.createMember(tenant);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
  await page.getByRole("link", { name: "New member" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members/new");
  await expect(page.getByRole("heading", { level: 1, name: "New member" })).toBeVisible();

  // The schema's own checks, before anything is sent.
  const create = page.getByRole("button", { name: "Create member" });
  await create.click();
  await expect(page.getByLabel("First name")).toHaveAccessibleDescription("Enter the first name");
  await expect(page.getByLabel("Username")).toHaveAccessibleDescription("Enter a username");
  await expect(page.getByLabel("Phone number country")).toHaveAccessibleDescription("Choose a country (two-letter code)");

  await page.getByLabel("First name").fill("Grace");
  await page.getByLabel("Last name").fill("Hopper");
  await page.getByLabel("Username").fill(existing.username);
  await page.getByLabel("Email").fill(`grace@${tenant.slug}.test`);
  await page.getByLabel("Phone number country").selectOption("GB");
  await page.getByLabel("Mobile number", { exact: true }).fill("07911 123401");
  await page.getByLabel("Address (optional)").fill("1 Navy Way, Arlington");
  await page.getByLabel("Title (optional)").fill("Rear Admiral");
  await page.getByLabel("Gender (optional)").selectOption("female");
  await page.getByLabel("Role").selectOption("admin");
  await create.click();

  // The server's answer: the username is taken in this organisation.
  await expect(page.getByLabel("Username")).toHaveAccessibleDescription("This username is already taken in your organisation");
  await expect(page.getByLabel("Username")).toHaveAttribute("aria-invalid", "true");
  await expect(page).toHaveURL((url) => url.pathname === "/console/members/new");

  // memberByUsername looks across organisations: a name no other test uses.
  const username = `grace.hopper.${tenant.slug}`;
  await page.getByLabel("Username").fill(username);
  await create.click();
  await expect(page).toHaveURL(isMemberPage);
  await expect(notice(page, "Member created.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeVisible();
  const created = await factory.memberByUsername(username);
  expect(created).toMatchObject({ sysAdmin: 1 });
  expect(new URL(page.url()).pathname).toBe(memberPath(created!));

  // Profile: what was typed, what the system made of it, and who did it.
  await expect(page.getByTestId("member-full-name")).toHaveText("Grace Hopper");
  await expect(page.getByTestId("member-username")).toHaveText(username);
  await expect(page.getByTestId("member-email")).toHaveText(`grace@${tenant.slug}.test`);
  await expect(page.getByTestId("member-mobile")).toHaveText("+44 7911 123401");
  await expect(page.getByTestId("member-itc")).toHaveText("+44");
  await expect(page.getByTestId("member-country")).toHaveText("United Kingdom (GB)");
  await expect(page.getByTestId("member-landline")).toHaveText("Not set");
  await expect(page.getByTestId("member-title")).toHaveText("Rear Admiral");
  await expect(page.getByTestId("member-gender")).toHaveText("Female");
  await expect(page.getByTestId("member-role")).toHaveText("Administrator");
  await expect(page.getByTestId("member-source")).toHaveText("console");
  await expect(page.getByTestId("member-created")).toHaveText(new RegExp(`^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2} UTC by ${admin.fullName}$`));

  await openTab(page, "Timeline");
  await expect(page).toHaveURL((url) => isMemberPage(url) && url.searchParams.get("tab") === "timeline");
  await expect(timelineEvents(page)).toHaveCount(1);
  const event = timelineEvents(page).first();
  await expect(event).toContainText("Created");
  await expect(event).toContainText(`by ${admin.fullName}`);
  await expect(event.locator('[data-field="username"]')).toHaveText(`Username: ${username}`);
  await expect(event.locator('[data-field="sysAdmin"]')).toContainText("Administrator");

  // The members table links each name to its page.
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
  await page.getByRole("table").getByRole("link", { name: "Grace Hopper" }).click();
  await expect(page).toHaveURL((url) => url.pathname === memberPath(created!));
  await expect(page.getByRole("heading", { level: 1, name: "Grace Hopper" })).toBeVisible();
});

test("editing a member's title says what changed, and the timeline shows before → after", async ({ page, factory }) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant, { fullName: "Katherine Johnson" });
  await factory.setTitleElsewhere(member, "Engineer");

  await page.goto(memberPath(member));
  await expect(page.getByRole("heading", { level: 1, name: "Katherine Johnson" })).toBeVisible();
  await expect(page.getByTestId("member-title")).toHaveText("Engineer");

  // The other tabs, each with its own address.
  await openTab(page, "Organisation");
  await expect(page).toHaveURL((url) => url.searchParams.get("tab") === "organisation");
  await expect(page.getByText("Not in any department yet.")).toBeVisible();
  await openTab(page, "Access");
  await expect(page.getByRole("region", { name: "Roles" })).toContainText("No roles.");
  await expect(page.getByRole("region", { name: "Effective permissions" })).toContainText("No permissions.");
  await openTab(page, "Sessions");
  await expect(page.getByText(/No open sessions: .* is not signed in anywhere./)).toBeVisible();
  await openTab(page, "Timeline");
  await expect(page.getByText("Nothing recorded for this member yet.")).toBeVisible();

  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page).toHaveURL((url) => url.pathname === `${memberPath(member)}/edit`);
  await expect(page.getByLabel("Title (optional)")).toHaveValue("Engineer");
  await expect(page.getByLabel("Username")).toHaveValue(member.username);
  await expect(page.getByLabel("Phone number country")).toHaveValue("GB");
  await expect(page.getByLabel("Mobile number", { exact: true })).not.toHaveValue("");

  await page.getByLabel("Title (optional)").fill("Senior Engineer");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page).toHaveURL((url) => url.pathname === memberPath(member) && url.searchParams.get("saved") === "title");
  await expect(notice(page, "Saved. Changed: Title.")).toBeVisible();
  await expect(page.getByTestId("member-title")).toHaveText("Senior Engineer");
  await expect(page.getByTestId("member-last-modified")).toContainText(`by ${admin.fullName}`);

  await openTab(page, "Timeline");
  await expect(timelineEvents(page)).toHaveCount(1);
  const event = timelineEvents(page).first();
  await expect(event).toContainText(`by ${admin.fullName}`);
  await expect(event.locator("[data-field]")).toHaveCount(1);
  await expect(event.locator('[data-field="title"]')).toHaveText("Title: Engineer → Senior Engineer");

  // Saving without a change says so, and records nothing.
  await page.getByRole("link", { name: "Edit" }).click();
  await expect(page.getByLabel("Title (optional)")).toHaveValue("Senior Engineer");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(notice(page, "Saved. Nothing changed.")).toBeVisible();
  await openTab(page, "Timeline");
  await expect(timelineEvents(page)).toHaveCount(1);
});

test("a stale edit is refused with the other change's time, and Reload brings the new values", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant);

  await page.goto(`${memberPath(member)}/edit`);
  // The form fills in once hydrated: from then on, typing reaches it.
  await expect(page.getByLabel("Username")).toHaveValue(member.username);
  await expect(page.getByLabel("Title (optional)")).toHaveValue("");
  await factory.setTitleElsewhere(member, "Changed elsewhere");

  await page.getByLabel("Title (optional)").fill("Mine");
  await page.getByRole("button", { name: "Save changes" }).click();
  const conflict = page.getByRole("alert").filter({ hasText: "changed this member at" });
  await expect(conflict).toBeVisible();
  await expect(conflict).toContainText("Reload to see their changes, then edit again.");
  await expect(page).toHaveURL((url) => url.pathname === `${memberPath(member)}/edit`);

  await conflict.getByRole("button", { name: "Reload" }).click();
  await expect(page.getByLabel("Title (optional)")).toHaveValue("Changed elsewhere");
  await expect(conflict).toHaveCount(0);

  // From the fresh version, the edit goes through.
  await page.getByLabel("Title (optional)").fill("Mine after all");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(notice(page, "Saved. Changed: Title.")).toBeVisible();
  await expect(page.getByTestId("member-title")).toHaveText("Mine after all");
});

test("another organisation's member, an unknown id and a malformed one are not found", async ({ page, factory }) => {
  await signInAsAdmin(page, factory);
  const elsewhere = await factory.createMember(await factory.createTenant("Other Organisation"));

  for (const path of [memberPath(elsewhere), `${memberPath(elsewhere)}/edit`, "/console/members/999999999999", "/console/members/not-an-id"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { name: "Member not found" })).toBeVisible();
    await expect(page.getByText(elsewhere.username)).toHaveCount(0);
  }
  await page.getByRole("link", { name: "Back to the members" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members");
});

test("the timeline shows the newest events first and loads older ones on demand", async ({ page, factory, database }) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant);
  // 25 recorded title changes, more than one page (20) of the timeline.
  await database.query(
    `INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, changes)
     SELECT $1, $2, 'member.updated', 'member', $3, jsonb_build_object('title', jsonb_build_object('before', 'Title ' || (n - 1), 'after', 'Title ' || n))
     FROM generate_series(1, 25) AS n`,
    [tenant.id, admin.id, member.id],
  );

  await page.goto(`${memberPath(member)}?tab=timeline`);
  await expect(timelineEvents(page)).toHaveCount(20);
  await expect(timelineEvents(page).first().locator('[data-field="title"]')).toHaveText("Title: Title 24 → Title 25");
  await page.getByRole("button", { name: "Load more" }).click();
  await expect(timelineEvents(page)).toHaveCount(25);
  await expect(timelineEvents(page).last().locator('[data-field="title"]')).toHaveText("Title: Title 0 → Title 1");
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
});
