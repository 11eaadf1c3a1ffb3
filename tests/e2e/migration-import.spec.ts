import { randomUUID } from "node:crypto";
import { expect, signIn, test } from "./support/fixtures";

// A migration import through the console (issue 16 item 5): an Entra ID
// "Download users" CSV is recognised, its proposed mapping is shown and
// adjusted, the preview follows, the import runs, and the member Entra had
// disabled is offered as a lifecycle disable.

test("an admin imports an Entra ID export: sees the proposed mapping, changes a column, previews, imports, and disables the member Entra had disabled", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await page.goto("/console/members/import");

  const suffix = randomUUID().slice(0, 6);
  const file = [
    "userPrincipalName,displayName,surname,mail,givenName,objectId,userType,jobTitle,department,accountEnabled,usageLocation,mobilePhone",
    `ada.${suffix}@contoso.onmicrosoft.com,Ada Lovelace,Lovelace,ada.${suffix}@contoso.example,Ada,id-1,Member,Analyst,,True,GB,+44 7400 661001`,
    `grace.${suffix}@contoso.onmicrosoft.com,Grace Hopper,Hopper,grace.${suffix}@contoso.example,Grace,id-2,Member,Rear Admiral,,False,US,`,
  ].join("\r\n");
  await page.getByLabel("Members file (CSV or JSON)").setInputFiles({ name: "entra-users.csv", mimeType: "text/csv", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Check file" }).click();

  // The proposal: recognised as Entra ID, the UPN's local part as username.
  await expect(page.getByRole("heading", { level: 2, name: "Map the columns" })).toBeVisible();
  await expect(page.getByLabel("The system this file comes from")).toHaveValue("Microsoft Entra ID");
  await expect(page.getByLabel("Field for userPrincipalName")).toHaveValue("username");
  await expect(page.getByLabel("Transform for userPrincipalName")).toHaveValue("upnLocalPart");
  await expect(page.getByLabel("Field for accountEnabled")).toHaveValue("sourceStatus");
  const preview = page.getByRole("table", { name: "Preview of the first rows" });
  const graceRow = preview.getByRole("row").filter({ hasText: `grace.${suffix}` });
  await expect(graceRow).toContainText("Rear Admiral");
  await expect(graceRow).toContainText("disabled");

  // One column changed: the job title is not imported; the preview follows.
  await page.getByLabel("Field for jobTitle").selectOption("");
  await expect(graceRow).not.toContainText("Rear Admiral");
  await page.getByRole("button", { name: "Check file with this mapping" }).click();

  await expect(page).toHaveURL((url) => url.searchParams.has("import"));
  await expect(page.getByTestId("import-status")).toHaveText("Checked, not applied");
  await page.getByRole("button", { name: "Apply 2 rows" }).click();
  await expect(page.getByTestId("import-status")).toHaveText("Applied", { timeout: 20_000 });
  await expect(page.getByRole("status").filter({ hasText: "Import finished: 2 rows written, 0 with errors." })).toBeVisible();

  await page.getByRole("button", { name: "Disable 1 member that was disabled in Microsoft Entra ID" }).click();
  await expect(page.getByRole("status").filter({ hasText: "1 disabled." })).toBeVisible();

  await page.getByRole("link", { name: "See imported members" }).click();
  const members = page.getByRole("table", { name: "Members" });
  await expect(members.getByRole("link", { name: "Ada Lovelace", exact: true })).toBeVisible();
  await expect(members.getByRole("row").filter({ hasText: "Grace Hopper" })).toContainText("Disabled");
});
