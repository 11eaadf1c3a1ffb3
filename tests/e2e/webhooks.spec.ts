import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";
import { expect, signIn, test } from "./support/fixtures";

// Issue 15, item 6: an owner adds a webhook endpoint in Settings → Webhooks,
// sees its secret once, sends a test event and sees it in the delivery log;
// the receiver (started here) verifies the signature with the
// standardwebhooks library and the secret the page showed.

type TRequest = { headers: IncomingHttpHeaders; body: string };

async function startReceiver() {
  const received: TRequest[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hooks`, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

test("an owner adds an endpoint, sees its secret once, sends a test event and sees it delivered in the log", async ({ page, factory }) => {
  // Sign-in (argon2) and the worker's first job can be slow on a busy machine.
  test.setTimeout(90_000);
  const receiver = await startReceiver();
  try {
    const tenant = await factory.createTenant();
    const owner = await factory.createMember(tenant, { role: "owner" });
    await signIn(page, { organisation: tenant.slug, login: owner.username, password: owner.password });
    // Signed in: the console's header is there (wherever the redirect left the address bar).
    await expect(page.getByRole("link", { name: /^Notifications, \d+ unread$/ })).toBeVisible({ timeout: 30_000 });

    await page.goto("/console/settings/webhooks");
    await expect(page.getByText("No webhook endpoint yet")).toBeVisible();
    await page.getByRole("link", { name: "Add an endpoint" }).click();
    await expect(page).toHaveURL((url) => url.pathname === "/console/settings/webhooks/new");

    const form = page.getByRole("form", { name: "New webhook endpoint" });
    await form.getByRole("button", { name: "Add the endpoint" }).click();
    await expect(form.getByText("Choose at least one event")).toBeVisible();
    await form.getByLabel("Endpoint URL").fill("javascript:alert(1)");
    await form.getByRole("checkbox", { name: /^member\.created/ }).check();
    await form.getByRole("button", { name: "Add the endpoint" }).click();
    await expect(form.getByText("Use an https:// address")).toBeVisible();
    await form.getByLabel("Endpoint URL").fill(receiver.url);
    await form.getByLabel("Description (optional)").fill("The e2e receiver");
    await form.getByRole("button", { name: "Add the endpoint" }).click();

    await expect(page.getByRole("status").filter({ hasText: "Endpoint added." })).toBeVisible();
    const secret = (await page.getByLabel("Signing secret", { exact: true }).textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole("link", { name: "I have copied it: open the endpoint" }).click();
    await expect(page).toHaveURL((url) => /^\/console\/settings\/webhooks\/\d+$/.test(url.pathname));
    // Shown once: never again.
    await expect(page.getByText(secret)).toHaveCount(0);
    await expect(page.getByText("Nothing sent yet: send a test event")).toBeVisible();

    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Test event queued" })).toBeVisible();
    const attempts = page.getByRole("list", { name: "Delivery attempts" });
    await expect(attempts.getByRole("listitem").first()).toContainText("Delivered · HTTP 204", { timeout: 15_000 });
    await expect(attempts.getByRole("listitem").first()).toContainText("webhook.test");

    expect(receiver.received).toHaveLength(1);
    const request = receiver.received[0]!;
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    expect(new Webhook(secret).verify(request.body, headers)).toMatchObject({ type: "webhook.test" });

    await page.goto("/console/settings/webhooks");
    const listed = page.getByRole("list", { name: "Webhook endpoints" }).getByRole("listitem");
    await expect(listed).toHaveCount(1);
    await expect(listed).toContainText("Enabled, delivering");
    await expect(listed).toContainText("The e2e receiver");
  } finally {
    await receiver.close();
  }
});
