import type { Page } from "@playwright/test";

/** The member page's Status actions: the primary button and the "More actions" menu button. */
export const lifecycleActions = (page: Page) => page.getByRole("group", { name: "Lifecycle actions" });

/**
 * Starts a lifecycle action from the member page, as an admin would: the
 * primary button when it is the one, otherwise through "More actions".
 */
export async function chooseLifecycleAction(page: Page, name: string): Promise<void> {
  const group = lifecycleActions(page);
  const primary = group.getByRole("button", { name, exact: true });
  if (await primary.isVisible()) {
    await primary.click();
    return;
  }
  await group.getByRole("button", { name: "More actions" }).click();
  await page.getByRole("menu", { name: "More actions" }).getByRole("menuitem", { name, exact: true }).click();
}
