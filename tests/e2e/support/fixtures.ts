import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { AccessibilityWatcher } from "./accessibility";
import { e2eBaseUrl, readE2eServerState } from "./e2e-env";
import { E2eFactory, type TE2eMember, type TE2eTenant } from "./factory";

// The specs' `test`: Playwright's, plus a connection to the e2e server's
// database (one small pool per worker), the factory that arranges data in it,
// and an automatic axe-core check of every page a test visits (support/accessibility.ts).
// Every spec imports `test` from here (tests/unit/e2e-specs-use-fixtures.test.ts
// holds them to it), so no page escapes the check.

type TTestFixtures = { factory: E2eFactory; accessibilityCheck: void };
type TWorkerFixtures = { database: pg.Pool; checkedPageStates: Set<string> };

export const test = base.extend<TTestFixtures, TWorkerFixtures>({
  database: [
    // Playwright reads which fixtures a fixture needs from this (empty) pattern.
    async ({}, provide) => {
      const pool = new pg.Pool({ connectionString: readE2eServerState().databaseUrl, max: 2 });
      await provide(pool);
      await pool.end();
    },
    { scope: "worker" },
  ],
  factory: async ({ database }, provide) => {
    await provide(new E2eFactory(database));
  },
  // The page states already checked in this worker: each is checked once per run, which keeps the suite quick.
  checkedPageStates: [
    async ({}, provide) => {
      await provide(new Set<string>());
    },
    { scope: "worker" },
  ],
  accessibilityCheck: [
    async ({ page, browser, baseURL, checkedPageStates }, provide, testInfo) => {
      const watcher = new AccessibilityWatcher(checkedPageStates, new URL(baseURL ?? e2eBaseUrl()).origin);
      watcher.watchContext(page.context());
      const stopWatchingNewContexts = watcher.watchNewContexts(browser);
      await provide();
      stopWatchingNewContexts();
      await watcher.finish();
      testInfo.annotations.push({ type: "axe", description: `${watcher.cost.checks} page state(s) checked in ${watcher.cost.milliseconds} ms` });
      const report = watcher.report();
      if (report) throw new Error(report);
    },
    { auto: true },
  ],
});

export { expect };

export const NOTICE = {
  setupDone: "Your organisation is ready. Sign in with the account you just created.",
  signedOut: "You are signed out.",
  revoked: "Your session was ended. Sign in again to continue.",
  accountBlocked: "This account can no longer sign in. Contact your administrator.",
} as const;

export const SIGN_IN_ALERT = {
  invalidCredentials: "Those sign-in details are not right. Check the organisation, username or email, and password.",
  accountBlocked: "This account is disabled or locked. Contact your administrator.",
} as const;

/** The form's own alert; Next's route announcer is an (empty) alert too, so match on the text. */
export const formAlert = (page: Page, text: string) => page.getByRole("alert").filter({ hasText: text });

/** Fills and submits the sign-in form; the caller asserts where it leads. */
export async function submitSignIn(page: Page, credentials: { organisation: string; login: string; password: string }): Promise<void> {
  await page.getByLabel("Organisation").fill(credentials.organisation);
  await page.getByLabel("Username or email").fill(credentials.login);
  await page.getByLabel("Password").fill(credentials.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Opens /sign-in (optionally with a callbackUrl) and signs in. */
export async function signIn(
  page: Page,
  credentials: { organisation: string; login: string; password: string },
  callbackUrl?: string,
): Promise<void> {
  await page.goto(callbackUrl ? `/sign-in?callbackUrl=${encodeURIComponent(callbackUrl)}` : "/sign-in");
  await submitSignIn(page, credentials);
}

/** A new organisation with an admin, signed in on the console's home page. */
export async function signInAsAdmin(page: Page, factory: E2eFactory): Promise<{ tenant: TE2eTenant; admin: TE2eMember }> {
  const tenant = await factory.createTenant();
  const admin = await factory.createMember(tenant, { role: "admin" });
  await signIn(page, { organisation: tenant.slug, login: admin.username, password: admin.password });
  await expect(page).toHaveURL((url) => url.pathname === "/console");
  return { tenant, admin };
}

/**
 * Opens `path` as a fresh document and waits until its background requests,
 * Next's link prefetches above all, are over: the state of a page a person has
 * been looking at. Tests that end a session behind the browser's back start
 * from there, so what they assert does not depend on a prefetch racing them
 * (prefetches that meet an ended session are checked on their own in
 * auth.spec.ts). A client-side navigation does not reset the load state,
 * hence the fresh document.
 */
export async function openSettled(page: Page, path: string): Promise<void> {
  await page.goto(path);
  await expect(page).toHaveURL((url) => url.pathname === path);
  await page.waitForLoadState("networkidle");
}

/**
 * Answers the console's own "are you sure?" (components/lifecycle/use-confirm.tsx):
 * checks it asks `title` (and says `description`, when given), clicks `confirm`,
 * and waits until it has gone.
 */
export async function answerConfirmation(page: Page, question: { title: string | RegExp; confirm: string; description?: string }): Promise<void> {
  const dialog = page.getByRole("alertdialog", { name: question.title, exact: true });
  await expect(dialog).toBeVisible();
  if (question.description !== undefined) await expect(dialog).toHaveAccessibleDescription(question.description);
  await dialog.getByRole("button", { name: question.confirm, exact: true }).click();
  await expect(dialog).toHaveCount(0);
}
