import { expect, type Page } from "@playwright/test";

/** The member page's Status actions: the primary button and the "More actions" menu button. */
export const lifecycleActions = (page: Page) => page.getByRole("group", { name: "Lifecycle actions" });

/**
 * Starts a lifecycle action from the member page, as an admin would: the
 * primary button when it is the one, otherwise through "More actions". The
 * offer follows the member's state, which may still be settling after the
 * last action: it retries until the action is there, one way or the other.
 */
export async function chooseLifecycleAction(page: Page, name: string): Promise<void> {
  const group = lifecycleActions(page);
  const primary = group.getByRole("button", { name, exact: true });
  const menu = page.getByRole("menu", { name: "More actions" });
  await expect(async () => {
    if (await primary.isVisible()) {
      await primary.click({ timeout: 1_000 });
      return;
    }
    if (!(await menu.isVisible())) await group.getByRole("button", { name: "More actions" }).click({ timeout: 1_000 });
    await menu.getByRole("menuitem", { name, exact: true }).click({ timeout: 1_000 });
  }).toPass({ timeout: 10_000 });
}
