import type { Page, Route } from "@playwright/test";
import { expect, signInAsAdmin, test } from "./support/fixtures";
import type { TE2eMember, TE2eTenant } from "./support/factory";

// Every list shows loading, failure with "Try again", empty and "Load more"
// through one component (components/list/list-state.tsx, issue 11 item 20).
// These flows force the states a person meets when the network misbehaves:
// the member timeline stands for every list built on it.

const timelineEvents = (page: Page) => page.getByRole("list", { name: "Timeline" }).getByTestId("timeline-event");
const isTimelineCall = (url: URL) => url.pathname.startsWith("/api/trpc/") && url.pathname.split("/").pop()!.split(",").includes("members.timeline");

/** Answers a tRPC batch as the server does when every call in it failed. */
async function failBatch(route: Route): Promise<void> {
  const calls = new URL(route.request().url()).pathname.split("/").pop()!.split(",");
  const error = { json: { message: "The server is unavailable (test)", code: -32603, data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } } };
  await route.fulfill({ status: 500, contentType: "application/json", body: JSON.stringify(calls.map(() => ({ error }))) });
}

/** 25 title changes on the member: more than one page (20) of the timeline. */
async function recordEvents(database: { query: (sql: string, values: unknown[]) => Promise<unknown> }, tenant: TE2eTenant, admin: TE2eMember, member: TE2eMember) {
  await database.query(
    `INSERT INTO audit_events (tenant_id, actor_id, action, target_type, target_id, changes)
     SELECT $1, $2, 'member.updated', 'member', $3, jsonb_build_object('title', jsonb_build_object('before', 'Title ' || (n - 1), 'after', 'Title ' || n))
     FROM generate_series(1, 25) AS n`,
    [tenant.id, admin.id, member.id],
  );
}

test("a list says it is loading (busy), says when it failed, and Try again loads it", async ({ page, factory, database }) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant);
  await recordEvents(database, tenant, admin, member);

  // Held, then failed: the first answer waits until the loading line was seen.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  let failing = true;
  await page.route(isTimelineCall, async (route) => {
    await released;
    if (failing) await failBatch(route);
    else await route.continue();
  });

  await page.goto(`/console/members/${member.id}?tab=timeline`);
  const loading = page.getByRole("status").filter({ hasText: "Loading the timeline…" });
  await expect(loading).toBeVisible();
  await expect(loading).toHaveAttribute("aria-busy", "true");
  release();

  // The client asks twice more before it gives up.
  const failure = page.getByRole("alert").filter({ hasText: "The timeline could not be loaded" });
  await expect(failure).toBeVisible({ timeout: 15_000 });
  await expect(failure).toContainText("The server is unavailable (test)");
  await expect(timelineEvents(page)).toHaveCount(0);

  failing = false;
  await failure.getByRole("button", { name: "Try again" }).click();
  await expect(timelineEvents(page)).toHaveCount(20);
  await expect(failure).toHaveCount(0);
});

test("a page that fails to load keeps the rows shown; Try again loads it", async ({ page, factory, database }) => {
  const { tenant, admin } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant);
  await recordEvents(database, tenant, admin, member);
  let failing = false;
  await page.route(isTimelineCall, async (route) => (failing ? failBatch(route) : route.continue()));

  await page.goto(`/console/members/${member.id}?tab=timeline`);
  await expect(timelineEvents(page)).toHaveCount(20);

  failing = true;
  await page.getByRole("button", { name: "Load more" }).click();
  const failure = page.getByRole("alert").filter({ hasText: "More events could not be loaded" });
  await expect(failure).toBeVisible({ timeout: 15_000 });
  await expect(timelineEvents(page)).toHaveCount(20);

  failing = false;
  await failure.getByRole("button", { name: "Try again" }).click();
  await expect(timelineEvents(page)).toHaveCount(25);
  await expect(failure).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
});

test("an empty list says so in its own words", async ({ page, factory }) => {
  const { tenant } = await signInAsAdmin(page, factory);
  const member = await factory.createMember(tenant);

  await page.goto(`/console/members/${member.id}?tab=timeline`);
  await expect(page.getByText("Nothing recorded for this member yet.")).toBeVisible();
  await expect(page.getByRole("list", { name: "Timeline" })).toHaveCount(0);

  await page.goto("/console/members/recycle-bin");
  await expect(page.getByText("The recycle bin is empty.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Load more" })).toHaveCount(0);
});
