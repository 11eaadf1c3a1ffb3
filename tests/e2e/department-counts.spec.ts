import type { Page } from "@playwright/test";
import { expect, signIn, test } from "./support/fixtures";
import { chooseLifecycleAction } from "./support/lifecycle-actions";

// Issue 11 item 7: the department tree's counts agree with the member list, right after a resignation.

const departmentsLink = (page: Page) => page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Departments" });
const countLink = (page: Page, department: string) => page.getByRole("listitem", { name: department }).getByRole("link", { name: /members?\b/ }).first();
const listedNames = (page: Page) => page.getByRole("table", { name: "Members" }).getByRole("rowheader");

test("after a resignation the Departed count in the tree matches the list it links to", async ({ page, factory }) => {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin", fullName: "Zoe Administrator" });
  const ada = await factory.createMember(tenant, { fullName: "Ada Lovelace" });
  const grace = await factory.createMember(tenant, { fullName: "Grace Hopper" });
  const engineering = await factory.createDepartment(tenant, "Engineering");
  await factory.addToDepartment(ada, engineering, { main: true });
  await factory.addToDepartment(grace, engineering, { main: true });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  // The tree is loaded (and cached) before the resignation.
  await departmentsLink(page).click();
  await expect(countLink(page, "Departed")).toHaveText("0 members");
  await expect(countLink(page, "Engineering")).toHaveText("2 members");

  await page.goto(`/console/members/${ada.id}`);
  await chooseLifecycleAction(page, "Resign…");
  const dialog = page.getByRole("dialog", { name: "Resign Ada Lovelace?" });
  await dialog.getByLabel("Reason (optional)").fill("Moving abroad");
  await dialog.getByRole("button", { name: "Resign Ada Lovelace" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("lifecycle-state")).toHaveText("Resigned");

  await departmentsLink(page).click();
  await expect(countLink(page, "Departed")).toHaveText("1 member");
  await expect(countLink(page, "Engineering")).toHaveText("1 member");
  await countLink(page, "Departed").click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members" && url.searchParams.has("department"));
  await expect(listedNames(page)).toHaveText(["Ada Lovelace"]);

  // Members with a password show no invitation note.
  await page.goto("/console/members");
  await expect(listedNames(page)).toHaveText(["Ada Lovelace", "Grace Hopper", "Zoe Administrator"]);
  await expect(page.getByTestId("password-pending")).toHaveCount(0);
});
