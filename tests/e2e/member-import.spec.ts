import { readFile } from "node:fs/promises";
import { randomUUID } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";

// Member import through the console: upload a small CSV with one bad row, read
// the dry run's report, apply the valid rows, follow the progress to the end,
// download the report and find an imported member in the list.

const errorsTable = (page: Page) => page.getByRole("table", { name: "Row errors" });

async function downloadText(page: Page, linkName: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: linkName }).click()]);
  return readFile(await download.path(), "utf8");
}

test("an admin imports a CSV with one bad row: sees the error, applies the rest, follows the progress and finds the members", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Members" }).click();
  await page.getByRole("link", { name: "Import", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members/import");
  await expect(page.getByRole("heading", { level: 1, name: "Import members" })).toBeVisible();
  await expect(page.getByText("No imports yet.")).toBeVisible();

  const suffix = randomUUID().slice(0, 6);
  const file = [
    "\uFEFFUsername,First Name,LASTNAME,email,mobile,country,title",
    `grace.${suffix},Grace,Hopper,grace.${suffix}@import.test,07400 551001,GB,Rear Admiral`,
    `broken.${suffix},Bad,Row,not-an-email,07400 551002,GB,`,
    `alan.${suffix},Alan,Turing,alan.${suffix}@import.test,+447400551003,,Mathematician`,
  ].join("\r\n");
  await page.getByLabel("Members file (CSV or JSON)").setInputFiles({ name: "team.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Check file" }).click();

  // The dry run: counts, and the bad row with its number, field and message.
  await expect(page).toHaveURL((url) => url.searchParams.has("import"));
  await expect(page.getByRole("heading", { level: 2, name: "team.csv" })).toBeVisible();
  await expect(page.getByTestId("import-status")).toHaveText("Checked, not applied");
  const errorRow = errorsTable(page).getByRole("row").filter({ hasText: `broken.${suffix}` });
  await expect(errorRow.getByRole("cell")).toHaveText(["2", `broken.${suffix}`, "email", "Enter a valid email address"]);
  const errorReport = await downloadText(page, "Download error report (CSV)");
  expect(errorReport).toContain(`2,broken.${suffix},invalid,email,Enter a valid email address`);

  // Apply: the progress bar runs to the end, then the report.
  await page.getByRole("button", { name: "Apply 2 rows" }).click();
  await expect(page.getByTestId("import-status")).toHaveText("Applied", { timeout: 20_000 });
  await expect(page.getByRole("status").filter({ hasText: "Import finished: 2 rows written, 1 with errors." })).toBeVisible();
  const report = await downloadText(page, "Download the full report (CSV)");
  expect(report.split("\r\n").slice(1, 4)).toEqual([
    `1,grace.${suffix},created,,`,
    `2,broken.${suffix},invalid,email,Enter a valid email address`,
    `3,alan.${suffix},created,,`,
  ]);
  await expect(page.getByRole("table", { name: "Recent imports" }).getByRole("row").filter({ hasText: "team.csv" })).toContainText("Applied");

  await page.getByRole("link", { name: "See imported members" }).click();
  await expect(page.getByRole("table", { name: "Members" }).getByRole("link", { name: "Grace Hopper", exact: true })).toBeVisible();
  await expect(page.getByRole("table", { name: "Members" }).getByRole("link", { name: "Alan Turing", exact: true })).toBeVisible();
});
