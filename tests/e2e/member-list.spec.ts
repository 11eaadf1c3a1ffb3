import type { Page } from "@playwright/test";
import { expect, formAlert, signIn, test } from "./support/fixtures";
import type { E2eFactory, TE2eMember, TE2eTenant } from "./support/factory";

// The console's member list: search, filters and sort kept in the URL (a view
// can be bookmarked and reloaded), and the bulk transfer of selected members
// into a department. Every test arranges its own organisation.

async function signInAsAdmin(page: Page, factory: E2eFactory): Promise<{ tenant: TE2eTenant; admin: TE2eMember }> {
  const tenant = await factory.createTenant();
  // "Zoe …" sorts after every other name here.
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

const membersTable = (page: Page) => page.getByRole("table", { name: "Members" });
/** The names in the table, in its order (each row's header cell). */
const listedNames = (page: Page) => membersTable(page).getByRole("rowheader");
const memberRow = (page: Page, name: string) => membersTable(page).getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
const notice = (page: Page, text: string) => page.getByRole("status").filter({ hasText: text });
const filterBar = (page: Page) => page.getByRole("search", { name: "Filter members" });
const departmentFilter = (page: Page) => page.getByLabel("Filter by department");

test("search, department, status and sort live in the URL, and a reload keeps them", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const platform = await factory.createDepartment(tenant, "Platform", engineering);
  const sales = await factory.createDepartment(tenant, "Sales");
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace", email: `countess@analytical-engine.test` });
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const alan = await factory.createMember(tenant, { fullName: "Alan Turing" });
  const barbara = await factory.createMember(tenant, { fullName: "Barbara Liskov" });
  await factory.addToDepartment(ada, engineering, { main: true });
  await factory.addToDepartment(grace, platform, { main: true });
  await factory.addToDepartment(alan, sales, { main: true });
  await factory.addToDepartment(barbara, sales, { main: true });
  await factory.setLocked(alan, true);

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members" && url.search === "");
  await expect(listedNames(page)).toHaveText(["Ada Lovelace", "Alan Turing", "Barbara Liskov", "Grace Hopper", "Zoe Administrator"]);
  // Each row: its main department, role, status, when last online and created.
  const graceRow = memberRow(page, "Grace Hopper");
  await expect(graceRow.getByRole("cell", { name: "Platform", exact: true })).toBeVisible();
  await expect(graceRow.getByRole("cell", { name: "never", exact: true })).toBeVisible();
  await expect(graceRow).toContainText(grace.email);
  await expect(graceRow).toContainText(grace.username);
  await expect(graceRow).toContainText("Active");
  await expect(memberRow(page, "Alan Turing")).toContainText("Locked");
  await expect(memberRow(page, "Zoe Administrator")).toContainText("Administrator");
  await expect(page.getByRole("link", { name: "Clear filters" })).toHaveCount(0);

  // Two letters: names starting with them.
  const search = page.getByLabel("Search members");
  await search.fill("ad");
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === "ad");
  await expect(listedNames(page)).toHaveText(["Ada Lovelace"]);
  // More: a fragment of the email.
  await search.fill("analytical-eng");
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === "analytical-eng");
  await expect(listedNames(page)).toHaveText(["Ada Lovelace"]);
  await search.fill("");
  await expect(page).toHaveURL((url) => !url.searchParams.has("q"));
  await expect(listedNames(page)).toHaveCount(5);

  // A department includes its sub-departments' members.
  await departmentFilter(page).selectOption({ label: "Engineering" });
  await expect(page).toHaveURL((url) => url.searchParams.get("department") === engineering.id);
  await expect(listedNames(page)).toHaveText(["Ada Lovelace", "Grace Hopper"]);
  await departmentFilter(page).selectOption({ label: "Engineering / Platform" });
  await expect(listedNames(page)).toHaveText(["Grace Hopper"]);

  // Nothing locked in Platform: the empty state says it is the filters, and offers to clear them.
  await page.getByLabel("Status").selectOption("locked");
  await expect(page).toHaveURL((url) => url.searchParams.get("status") === "locked");
  await expect(page.getByText("No members match these filters.")).toBeVisible();
  await expect(membersTable(page)).toHaveCount(0);

  // Locked members in Sales, newest first: the whole view is in the address.
  await departmentFilter(page).selectOption({ label: "Sales" });
  await expect(listedNames(page)).toHaveText(["Alan Turing"]);
  await page.getByLabel("Status").selectOption("");
  await expect(listedNames(page)).toHaveText(["Alan Turing", "Barbara Liskov"]);
  await page.getByLabel("Sort by").selectOption("created");
  await page.getByLabel("Order").selectOption({ label: "Newest first" });
  await expect(listedNames(page)).toHaveText(["Barbara Liskov", "Alan Turing"]);
  await page.getByLabel("Status").selectOption("locked");
  await expect(listedNames(page)).toHaveText(["Alan Turing"]);
  await search.fill("tur");
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === "tur");
  const view = new URL(page.url());
  expect(Object.fromEntries(view.searchParams)).toEqual({
    q: "tur",
    department: sales.id,
    status: "locked",
    sort: "created",
    order: "desc",
  });

  await page.reload();
  await expect(listedNames(page)).toHaveText(["Alan Turing"]);
  await expect(search).toHaveValue("tur");
  await expect(departmentFilter(page)).toHaveValue(sales.id);
  await expect(page.getByLabel("Status")).toHaveValue("locked");
  await expect(page.getByLabel("Role")).toHaveValue("");
  await expect(page.getByLabel("Sort by")).toHaveValue("created");
  await expect(page.getByLabel("Order")).toHaveValue("desc");

  await filterBar(page).getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members" && url.search === "");
  await expect(search).toHaveValue("");
  await expect(departmentFilter(page)).toHaveValue("");
  await expect(listedNames(page)).toHaveCount(5);

  // Values that are not the list's own are ignored; valid ones still apply.
  await page.goto("/console/members?status=sleeping&sort=height&department=not-a-number&role=admin");
  await expect(listedNames(page)).toHaveText(["Zoe Administrator"]);
  await expect(page.getByLabel("Role")).toHaveValue("admin");
  await expect(page.getByLabel("Status")).toHaveValue("");
  await expect(page.getByLabel("Sort by")).toHaveValue("name");
  await expect(departmentFilter(page)).toHaveValue("");
});

test("an admin moves two selected members to another department; both are moved and audited", async ({ page, factory, database }) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const platform = await factory.createDepartment(tenant, "Platform", engineering);
  const sales = await factory.createDepartment(tenant, "Sales");
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const alan = await factory.createMember(tenant, { fullName: "Alan Turing" });
  // Ada is in two departments: she leaves both.
  await factory.addToDepartment(ada, engineering, { main: true });
  await factory.addToDepartment(ada, platform);
  await factory.addToDepartment(grace, platform, { main: true });
  await factory.addToDepartment(alan, engineering, { main: true });

  await page.goto("/console/members");
  await expect(listedNames(page)).toHaveText(["Ada Lovelace", "Alan Turing", "Grace Hopper", "Zoe Administrator"]);
  const bulkBar = page.getByRole("region", { name: "Bulk actions" });
  await expect(bulkBar).toHaveCount(0);

  // "Select all loaded", then back to none.
  const selectAll = page.getByLabel("Select all loaded members");
  await selectAll.check();
  await expect(bulkBar).toContainText("4 selected");
  await selectAll.uncheck();
  await expect(bulkBar).toHaveCount(0);

  await page.getByLabel("Select Ada Lovelace").check();
  await page.getByLabel("Select Grace Hopper").check();
  await expect(bulkBar).toContainText("2 selected");
  await bulkBar.getByRole("button", { name: "Transfer to department…" }).click();
  const destination = bulkBar.getByLabel("Destination department");
  // Departed is not a destination: members get there by resigning.
  await expect(destination.getByRole("option", { name: "Departed" })).toHaveCount(0);
  await destination.selectOption({ label: "Sales" });
  await bulkBar.getByRole("button", { name: "Move 2 members" }).click();

  await expect(notice(page, "Moved 2 members to Sales.")).toBeVisible();
  await expect(bulkBar).toHaveCount(0);
  await expect(page.getByLabel("Select Ada Lovelace")).not.toBeChecked();
  await expect(memberRow(page, "Ada Lovelace").getByRole("cell", { name: "Sales", exact: true })).toBeVisible();
  await expect(memberRow(page, "Grace Hopper").getByRole("cell", { name: "Sales", exact: true })).toBeVisible();
  await expect(memberRow(page, "Alan Turing").getByRole("cell", { name: "Engineering", exact: true })).toBeVisible();

  // In the database: only in Sales, which is their main department; Alan untouched.
  for (const member of [ada, grace]) {
    expect(await factory.departmentsOf(member)).toEqual({ departmentIds: [sales.id], mainDepartmentId: sales.id });
  }
  expect(await factory.departmentsOf(alan)).toEqual({ departmentIds: [engineering.id], mainDepartmentId: engineering.id });
  const events = await database.query<{ targetId: string; actorId: string; changes: { departments: { before: { name: string }[]; after: { name: string }[] } } }>(
    `SELECT target_id AS "targetId", actor_id AS "actorId", changes FROM audit_events
     WHERE tenant_id = $1 AND action = 'member.transferred' ORDER BY target_id`,
    [tenant.id],
  );
  expect(events.rows.map((event) => event.targetId).sort()).toEqual([ada.id, grace.id].sort());
  for (const event of events.rows) {
    expect(event.actorId).toBe(admin.id);
    expect(event.changes.departments.after.map((department) => department.name)).toEqual(["Sales"]);
  }
  const adaEvent = events.rows.find((event) => event.targetId === ada.id)!;
  expect(adaEvent.changes.departments.before.map((department) => department.name)).toEqual(["Engineering", "Platform"]);
  expect(await factory.auditActionsOf(alan)).toEqual([]);

  // The department filter agrees: Sales now lists them.
  await departmentFilter(page).selectOption({ label: "Sales" });
  await expect(listedNames(page)).toHaveText(["Ada Lovelace", "Grace Hopper"]);
});

test("the Departed filter lists resigned members, and moving them is refused with the server's reason", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const sales = await factory.createDepartment(tenant, "Sales");
  const departed = await factory.departedDepartment(tenant);
  const resigned = await factory.createMember(tenant, { fullName: "Rosalind Franklin" });
  const current = await factory.createMember(tenant, { fullName: "Dorothy Vaughan" });
  await factory.addToDepartment(resigned, departed, { main: true });
  await factory.setEnabled(resigned, false);

  await page.goto("/console/members");
  await departmentFilter(page).selectOption({ label: "Departed" });
  await expect(page).toHaveURL((url) => url.searchParams.get("department") === departed.id);
  await expect(listedNames(page)).toHaveText(["Rosalind Franklin"]);
  await expect(memberRow(page, "Rosalind Franklin")).toContainText("Disabled");
  await page.getByLabel("Status").selectOption("disabled");
  await expect(listedNames(page)).toHaveText(["Rosalind Franklin"]);

  // A stale bookmark: a department that no longer exists is ignored.
  await page.goto("/console/members?department=999999999999");
  await expect(listedNames(page)).toHaveText(["Dorothy Vaughan", "Rosalind Franklin", "Zoe Administrator"]);
  await expect(departmentFilter(page)).toHaveValue("");

  await page.getByLabel("Select Rosalind Franklin").check();
  await page.getByLabel("Select Dorothy Vaughan").check();
  const bulkBar = page.getByRole("region", { name: "Bulk actions" });
  await bulkBar.getByRole("button", { name: "Transfer to department…" }).click();
  await bulkBar.getByLabel("Destination department").selectOption({ label: "Sales" });
  await bulkBar.getByRole("button", { name: "Move 2 members" }).click();
  await expect(formAlert(page, "1 selected member(s) have resigned: they cannot be transferred")).toBeVisible();
  // Nothing moved, the selection stays for another try.
  await expect(bulkBar).toContainText("2 selected");
  await expect(page.getByLabel("Select Rosalind Franklin")).toBeChecked();
  expect(await factory.departmentsOf(current)).toEqual({ departmentIds: [], mainDepartmentId: null });
  expect(await factory.departmentsOf(resigned)).toEqual({ departmentIds: [departed.id], mainDepartmentId: departed.id });

  // Without the resigned member, the move goes through.
  await page.getByLabel("Select Rosalind Franklin").uncheck();
  await expect(bulkBar).toContainText("1 selected");
  // The refusal was about the previous selection.
  await expect(formAlert(page, "have resigned")).toHaveCount(0);
  await bulkBar.getByRole("button", { name: "Move 1 member" }).click();
  await expect(notice(page, "Moved 1 member to Sales.")).toBeVisible();
  await expect(memberRow(page, "Dorothy Vaughan").getByRole("cell", { name: "Sales", exact: true })).toBeVisible();
  expect(await factory.departmentsOf(current)).toEqual({ departmentIds: [sales.id], mainDepartmentId: sales.id });
});

test("Load more continues the filtered, sorted list", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const engineering = await factory.createDepartment(tenant, "Engineering");
  // 53 engineers: more than one page (50); a few others who must never show up.
  for (let index = 1; index <= 53; index += 1) {
    const engineer = await factory.createMember(tenant, { fullName: `Engineer ${String(index).padStart(2, "0")}` });
    await factory.addToDepartment(engineer, engineering, { main: true });
  }
  for (const fullName of ["Outsider One", "Outsider Two"]) await factory.createMember(tenant, { fullName });

  await page.goto(`/console/members?department=${engineering.id}&order=desc`);
  await expect(listedNames(page)).toHaveCount(50);
  await expect(listedNames(page).first()).toHaveText("Engineer 53");
  await expect(listedNames(page).last()).toHaveText("Engineer 04");
  await expect(page.getByText("Showing the first 50 members.")).toBeVisible();

  await page.getByRole("button", { name: "Load more" }).click();
  await expect(listedNames(page)).toHaveCount(53);
  await expect(listedNames(page).last()).toHaveText("Engineer 01");
  await expect(page.getByText("Showing 53 members.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
  await expect(membersTable(page).getByRole("link", { name: /^Outsider/ })).toHaveCount(0);

  // "Select all loaded" takes every loaded row, the second page's too.
  await page.getByLabel("Select all loaded members").check();
  await expect(page.getByRole("region", { name: "Bulk actions" })).toContainText("53 selected");
});

test("an admin grants a role to selected members at once; holders are skipped, grants audited", async ({ page, factory, database }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const { rows } = await database.query<{ id: string }>("INSERT INTO roles (tenant_id, name) VALUES ($1, 'Support') RETURNING id::text", [tenant.id]);
  const roleId = rows[0]!.id;
  await database.query("INSERT INTO member_roles (user_id, role_id) VALUES ($1, $2)", [grace.id, roleId]);

  await page.goto("/console/members");
  await expect(listedNames(page)).toHaveText(["Ada Lovelace", "Grace Hopper", "Zoe Administrator"]);
  await memberRow(page, "Ada Lovelace").getByRole("checkbox").check();
  await memberRow(page, "Grace Hopper").getByRole("checkbox").check();
  const bulkBar = page.getByRole("region", { name: "Bulk actions" });
  await bulkBar.getByRole("button", { name: "Grant access…" }).click();
  await bulkBar.getByLabel("Kind of access").selectOption("role");
  await bulkBar.getByLabel("Role to grant").selectOption({ label: "Support" });
  await bulkBar.getByRole("button", { name: "Grant to 2 members" }).click();
  await expect(notice(page, "Granted the role “Support” to 1 member (1 member already held it).")).toBeVisible();

  const holders = await database.query<{ user_id: string }>("SELECT user_id::text FROM member_roles WHERE role_id = $1 ORDER BY user_id", [roleId]);
  expect(holders.rows.map((row) => row.user_id).sort()).toEqual([ada.id, grace.id].sort());
  const events = await database.query<{ target_id: string }>("SELECT target_id::text FROM audit_events WHERE action = 'member.role_granted' AND tenant_id = $1", [tenant.id]);
  expect(events.rows.map((row) => row.target_id)).toEqual([ada.id]);
});
