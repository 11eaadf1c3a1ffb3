import { randomUUID } from "node:crypto";
import { expect, openSettled, signIn, test } from "./support/fixtures";

// Issue 16: an owner creates an API token in Settings → API tokens; the test,
// as a SCIM client (Okta's request shapes, over HTTP with fetch), provisions
// a member and deactivates them with PATCH active:false. The member page
// shows them disabled with the receipt naming the token, their SCIM fields
// "Managed by" the token, and Settings → Provisioning lists the requests.

test("a SCIM client with a token made in the console provisions and deactivates a member, who shows disabled with a receipt", async ({ page, factory }, testInfo) => {
  // Four pages, a token and four SCIM requests on a shared 2-core machine.
  test.slow();
  const tenant = await factory.createTenant();
  const owner = await factory.createMember(tenant, { role: "owner" });
  await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");

  await page.goto("/console/settings/api-tokens");
  const form = page.getByRole("form", { name: "Create a token" });
  await form.getByLabel("Name").fill("Okta");
  await form.getByRole("button", { name: "Create token" }).click();
  const shown = page.getByRole("dialog", { name: 'API token "Okta" created' });
  const token = await shown.getByLabel("Token").inputValue();
  await shown.getByRole("button", { name: "Done" }).click();

  const base = `${testInfo.project.use.baseURL!}/scim/v2`;
  const scim = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json", "user-agent": "Okta SCIM Client 1.0.0" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  const tag = randomUUID().slice(0, 8);
  const userName = `grace.${tag}@example.test`;
  const lookup = await scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}&startIndex=1&count=100`);
  expect(lookup.body).toMatchObject({ totalResults: 0 });
  const created = await scim("POST", "/Users", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
    userName,
    name: { givenName: "Grace", familyName: "Hopper" },
    emails: [{ primary: true, value: userName, type: "work" }],
    displayName: "Grace Hopper",
    active: true,
  });
  expect(created.status).toBe(201);
  const id = created.body.id as string;
  const deactivated = await scim("PATCH", `/Users/${id}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", value: { active: false } }],
  });
  expect(deactivated.status).toBe(200);
  expect(deactivated.body.active).toBe(false);

  await openSettled(page, `/console/members/${id}`);
  await expect(page.getByTestId("lifecycle-state")).toHaveText("Disabled");
  const receipt = page.getByRole("region", { name: "Access receipt" });
  await expect(receipt.getByTestId("receipt-actor")).toContainText("Okta");
  await expect(receipt.getByTestId("receipt-zero-access")).toHaveText(/^\d[\d.,]* ms$/);

  // Its SCIM fields are the identity provider's: read-only in the console, naming the token.
  await openSettled(page, `/console/members/${id}/edit`);
  const email = page.getByLabel("Email", { exact: true });
  await expect(email).toHaveValue(userName);
  await expect(email).toHaveAttribute("readonly", "");
  await expect(email).toHaveAccessibleDescription("Managed by Okta");

  await openSettled(page, "/console/settings/provisioning");
  const requests = page.getByRole("region", { name: "Requests of Okta" });
  await expect(requests).toContainText("POST /Users");
  await expect(requests).toContainText(`PATCH /Users/${id}`);
  await expect(requests).toContainText("GET /Users");
});
