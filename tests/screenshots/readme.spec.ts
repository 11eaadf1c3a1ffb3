import path from "node:path";
import type { Page } from "@playwright/test";
import { expect, openSettled, signIn, test } from "../e2e/support/fixtures";
import { REPO_ROOT } from "../e2e/support/e2e-env";
import type { E2eFactory } from "../e2e/support/factory";
import type pg from "pg";

// The README's screenshots (`npm run screenshots`, never part of `npm test`):
// a small, realistic organisation, then the pages the README shows, written to
// docs/screenshots/. Each picture is taken once its page has settled.

const OUTPUT = path.join(REPO_ROOT, "docs", "screenshots");
const LAPTOP = { width: 1366, height: 900 };
const PHONE = { width: 390, height: 844 };

const PEOPLE = [
  { fullName: "Ada Lovelace", username: "ada.lovelace", department: "Engineering" },
  { fullName: "Grace Hopper", username: "grace.hopper", department: "Platform" },
  { fullName: "Alan Turing", username: "alan.turing", department: "Platform" },
  { fullName: "Barbara Liskov", username: "barbara.liskov", department: "Engineering" },
  { fullName: "Katherine Johnson", username: "katherine.johnson", department: "Finance" },
  { fullName: "Edsger Dijkstra", username: "edsger.dijkstra", department: "Sales" },
  { fullName: "Margaret Hamilton", username: "margaret.hamilton", department: "People" },
  { fullName: "Tim Berners-Lee", username: "tim.berners-lee", department: "Sales" },
] as const;

/** Northwind Traders: departments, members with real-looking usernames and addresses, an admin signed in. */
async function seedOrganisation(page: Page, factory: E2eFactory, database: pg.Pool) {
  const tenant = await factory.createTenant("Northwind Traders");
  await database.query("UPDATE tenants SET name = 'Northwind Traders' WHERE id = $1", [tenant.id]);
  // The factory names people after the test rig ("E2E", "member-1a2b…"): give them their own names.
  const rename = async (member: { id: string; fullName: string }, username: string) => {
    const [firstName, ...rest] = member.fullName.split(" ");
    await database.query("UPDATE users SET username = $2, first_name = $3, last_name = $4 WHERE id = $1", [member.id, username, firstName, rest.join(" ")]);
  };
  const engineering = await factory.createDepartment(tenant, "Engineering");
  const departments = {
    Engineering: engineering,
    Platform: await factory.createDepartment(tenant, "Platform", engineering),
    Finance: await factory.createDepartment(tenant, "Finance"),
    Sales: await factory.createDepartment(tenant, "Sales"),
    People: await factory.createDepartment(tenant, "People"),
  };
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Joan Clarke", email: "joan.clarke@northwind.example" });
  await rename(admin, "joan.clarke");
  await factory.addToDepartment(admin, departments.People, { main: true });
  const members: Record<string, { id: string; fullName: string }> = {};
  for (const person of PEOPLE) {
    const member = await factory.createMember(tenant, { fullName: person.fullName, email: `${person.username}@northwind.example` });
    await rename(member, person.username);
    await factory.addToDepartment(member, departments[person.department], { main: true });
    members[person.username] = member;
  }
  const grace = members["grace.hopper"]!;
  await factory.grantNew(tenant, grace, "application", "GitLab");
  await factory.grantNew(tenant, grace, "application", "Payroll");
  await factory.grantNew(tenant, grace, "role", "Release manager");
  await factory.setLocked(members["edsger.dijkstra"]!, true);
  await signIn(page, { organisation: tenant.slug, login: "joan.clarke", password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { grace };
}

async function save(page: Page, name: string, fullPage = false): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.screenshot({ path: path.join(OUTPUT, `${name}.png`), fullPage });
}

test("the README's screenshots", async ({ page, factory, database }) => {
  await page.setViewportSize(LAPTOP);
  const { grace } = await seedOrganisation(page, factory, database);

  await openSettled(page, "/console/members");
  await expect(page.getByRole("table", { name: "Members" }).getByRole("link", { name: "Grace Hopper" })).toBeVisible();
  await save(page, "members-list");

  // A member page with the receipt of an offboarding.
  await openSettled(page, `/console/members/${grace.id}`);
  await page.getByRole("button", { name: "Disable…" }).click();
  const dialog = page.getByRole("dialog", { name: "Disable Grace Hopper?" });
  await dialog.getByLabel("Reason").fill("On sabbatical until March");
  await dialog.getByRole("button", { name: "Disable Grace Hopper" }).click();
  await expect(dialog).toHaveCount(0);
  const receipt = page.getByRole("region", { name: "Access receipt" });
  await expect(receipt).toBeVisible();
  await expect(receipt).not.toContainText("being verified", { timeout: 20_000 });
  // A fresh load: every section shows the new state (the receipt stays with the member).
  await openSettled(page, `/console/members/${grace.id}`);
  await expect(page.getByRole("region", { name: "Access receipt" })).toBeVisible();
  await save(page, "member-receipt");

  // The import report: a dry run with one bad row, then applied.
  await openSettled(page, "/console/members/import");
  const file = [
    "username,first name,last name,email,mobile,country,title",
    "hedy.lamarr,Hedy,Lamarr,hedy.lamarr@northwind.example,07400 551001,GB,Inventor",
    "claude.shannon,Claude,Shannon,not-an-email,07400 551002,GB,Engineer",
    "frances.allen,Frances,Allen,frances.allen@northwind.example,+447400551003,GB,Compiler engineer",
    "john.backus,John,Backus,john.backus@northwind.example,07400 551004,GB,",
  ].join("\r\n");
  await page.getByLabel("Members file (CSV or JSON)").setInputFiles({ name: "new-starters.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page.getByTestId("import-status")).toHaveText("Checked, not applied");
  await page.getByRole("button", { name: "Apply 3 rows" }).click();
  await expect(page.getByTestId("import-status")).toHaveText("Applied", { timeout: 30_000 });
  await save(page, "import-report", true);

  // The members list on a phone, and its navigation drawer.
  await page.setViewportSize(PHONE);
  await openSettled(page, "/console/members");
  await expect(page.getByRole("table", { name: "Members" }).getByRole("link", { name: "Ada Lovelace" })).toBeVisible();
  await save(page, "members-list-phone", true);
  await page.getByRole("button", { name: "Menu", exact: true }).click();
  await expect(page.getByRole("dialog", { name: "Menu" })).toBeVisible();
  await save(page, "navigation-drawer-phone");
});
