import { readE2eServerState } from "./support/e2e-env";
import { expect, NOTICE, test } from "./support/fixtures";

// First run on an empty database: set up the organisation and its owner, sign
// in, look around the console and the profile, sign out. Runs alone in the
// `first-run` project, before every other spec (playwright.config.ts).

const organisation = { name: "Acme First Run", slug: "acme-first-run" };
const owner = {
  firstName: "Ada",
  lastName: "Owner",
  fullName: "Ada Owner",
  country: "GB",
  mobile: "07911 123456",
  username: "ada",
  email: "ada@acme-first-run.test",
  password: "correct horse battery staple",
};

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ factory }) => {
  // The setup page exists only while there is no organisation.
  expect(await factory.tenantCount(), "the e2e server must start on an empty database").toBe(0);
});

test("the first visit goes to setup, whose form checks its fields", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL((url) => url.pathname === "/setup");
  await expect(page.getByRole("heading", { name: "Set up Tenure" })).toBeVisible();

  const create = page.getByRole("button", { name: "Create organisation" });
  await create.click();
  await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription("Enter the organisation's name");
  await expect(page.getByLabel("Short name (used to sign in)")).toHaveAccessibleDescription("At least 2 characters");
  await expect(page.getByLabel("First name")).toHaveAccessibleDescription("Enter the first name");
  await expect(page.getByLabel("Last name")).toHaveAccessibleDescription("Enter the last name");
  await expect(page.getByLabel("Phone number country")).toHaveAccessibleDescription("Choose a country (two-letter code)");
  await expect(page.getByLabel("Username")).toHaveAccessibleDescription("Enter a username");
  await expect(page.getByLabel("Email")).toHaveAccessibleDescription("Enter a valid email address");
  await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription("At least 15 characters");
  await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Setup code")).toHaveAccessibleDescription("Enter the setup code from the server log");

  await page.getByLabel("Name", { exact: true }).fill(organisation.name);
  await page.getByLabel("Short name (used to sign in)").fill(organisation.slug);
  await page.getByLabel("First name").fill(owner.firstName);
  await page.getByLabel("Last name").fill(owner.lastName);
  await page.getByLabel("Username").fill(owner.username);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Phone number country").selectOption(owner.country);
  await page.getByLabel("Mobile number", { exact: true }).fill("0791");
  await page.getByLabel("Password", { exact: true }).fill("too short");
  await page.getByLabel("Repeat the password").fill("too short");
  await create.click();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAccessibleDescription("At least 15 characters");
  await expect(page.getByLabel("Name", { exact: true })).not.toHaveAttribute("aria-invalid", "true");

  await page.getByLabel("Password", { exact: true }).fill(owner.password);
  await page.getByLabel("Repeat the password").fill(owner.password);
  await create.click();
  await expect(page.getByLabel("Mobile number", { exact: true })).toHaveAccessibleDescription("Not a valid mobile number for that country");
  await page.getByLabel("Mobile number", { exact: true }).fill(owner.mobile);

  await page.getByLabel("Password", { exact: true }).fill(owner.password);
  await page.getByLabel("Repeat the password").fill(`${owner.password} typo`);
  await create.click();
  await expect(page.getByLabel("Repeat the password")).toHaveAccessibleDescription("The two passwords differ");

  // Everything right but the setup code: whoever reaches the empty installation first cannot claim it without the log.
  await page.getByLabel("Setup code").fill("WRNG-CODE-FROM-ELSEWHERE");
  await page.getByLabel("Repeat the password").fill(owner.password);
  await create.click();
  await expect(page.getByLabel("Setup code")).toHaveAccessibleDescription(/That is not the setup code/);
  await expect(page).toHaveURL((url) => url.pathname === "/setup");
});

test("setup creates the organisation and its owner, who signs in, looks around and signs out", async ({ page, factory }) => {
  await page.goto("/setup");
  await page.getByLabel("Setup code").fill(readE2eServerState().setupCode);
  await page.getByLabel("Name", { exact: true }).fill(organisation.name);
  await page.getByLabel("Short name (used to sign in)").fill(organisation.slug);
  await page.getByLabel("First name").fill(owner.firstName);
  await page.getByLabel("Last name").fill(owner.lastName);
  await page.getByLabel("Username").fill(owner.username);
  await page.getByLabel("Email").fill(owner.email);
  await page.getByLabel("Phone number country").selectOption(owner.country);
  await page.getByLabel("Mobile number", { exact: true }).fill(owner.mobile);
  await page.getByLabel("Password", { exact: true }).fill(owner.password);
  await page.getByLabel("Repeat the password").fill(owner.password);
  await page.getByRole("button", { name: "Create organisation" }).click();

  await expect(page).toHaveURL(
    (url) =>
      url.pathname === "/sign-in" &&
      url.searchParams.get("setup") === "done" &&
      url.searchParams.get("organisation") === organisation.slug &&
      url.searchParams.get("login") === owner.username,
  );
  await expect(page.getByRole("status").filter({ hasText: NOTICE.setupDone })).toBeVisible();
  await expect(page.getByLabel("Organisation")).toHaveValue(organisation.slug);
  await expect(page.getByLabel("Username or email")).toHaveValue(owner.username);
  expect(await factory.memberByUsername(owner.username)).toMatchObject({ sysAdmin: 2 });

  await page.getByLabel("Password").fill(owner.password);
  await page.getByRole("button", { name: "Sign in" }).click();

  // The overview of the new organisation.
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  await expect(page.getByTestId("tenant-name")).toHaveText(organisation.name);
  await expect(page.getByRole("heading", { level: 1, name: organisation.name })).toBeVisible();
  await expect(page.getByTestId("stat-members")).toHaveText("1");
  await expect(page.getByTestId("stat-administrators")).toHaveText("1");
  await expect(page.getByTestId("stat-open-sessions")).toHaveText("1");

  const nav = page.getByRole("navigation", { name: "Console" });
  await expect(nav.getByRole("link", { name: "Overview", exact: true })).toHaveAttribute("aria-current", "page");

  await nav.getByRole("link", { name: "Members" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/members");
  await expect(nav.getByRole("link", { name: "Members" })).toHaveAttribute("aria-current", "page");
  const ownerRow = page.getByRole("row").filter({ hasText: owner.email });
  await expect(ownerRow).toHaveCount(1);
  await expect(ownerRow.getByRole("rowheader")).toHaveText(owner.fullName);
  // Select, username, email, main department, role, status, last online, created.
  await expect(ownerRow.getByRole("cell")).toHaveText(["", owner.username, owner.email, "None", "Owner", "Active", /^never$|UTC$/, /^\d{4}-\d{2}-\d{2}$/]);
  await expect(page.getByRole("table").getByRole("row")).toHaveCount(2); // header + the owner

  await nav.getByRole("link", { name: "Departments" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/departments");
  await expect(page.getByText("No departments yet. Create the first one above.")).toBeVisible();
  await expect(page.getByRole("listitem", { name: "Departed" })).toBeVisible();

  await nav.getByRole("link", { name: "Roles" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/console/roles");
  await expect(page.getByRole("heading", { level: 1, name: "Roles" })).toBeVisible();
  await expect(page.getByText("No roles yet. Create the first one above.")).toBeVisible();

  // The owner's own profile, through the name in the console's top bar.
  await page.getByRole("link", { name: owner.fullName }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/me");
  await expect(page.getByTestId("profile-username")).toHaveText(owner.username);
  await expect(page.getByTestId("profile-email")).toHaveText(owner.email);
  await expect(page.getByTestId("profile-full-name")).toHaveText(owner.fullName);
  await expect(page.getByTestId("profile-organisation")).toHaveText(organisation.name);
  await expect(page.getByTestId("profile-role")).toHaveText("Owner");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("reason") === "signed-out");
  await expect(page.getByRole("status").filter({ hasText: NOTICE.signedOut })).toBeVisible();

  // Signing out revoked the session row, not only the cookie.
  const ownerRecord = await factory.memberByUsername(owner.username);
  expect(ownerRecord).not.toBeNull();
  await expect
    .poll(async () => (await factory.sessionsOf(ownerRecord!)).map((session) => session.revokedReason))
    .toEqual(["signed_out"]);

  await page.goto("/console");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in" && url.searchParams.get("callbackUrl") === "/console");
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("once set up, the setup page and the home page send visitors to sign in", async ({ page }) => {
  await page.goto("/setup");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
  // With a single organisation, the sign-in form proposes it.
  await expect(page.getByLabel("Organisation")).toHaveValue(organisation.slug);

  await page.goto("/");
  await expect(page).toHaveURL((url) => url.pathname === "/sign-in");
});
