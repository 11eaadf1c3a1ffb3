import { AccessibilityWatcher } from "./support/accessibility";
import { expect, test } from "./support/fixtures";

// The axe check itself (support/accessibility.ts), on a page with known faults:
// it must see them, name rule, element and page, and check a page state once.
// The page is served on another origin, which the suite's own watcher leaves alone.

const ELSEWHERE = "http://axe-self-test.invalid";
const FAULTY_PAGE = `<!doctype html><html lang="en"><head><title>Faulty</title></head><body><main>
  <h1>Faulty page</h1>
  <p id="faint" style="color:#c0c0c0;background:#ffffff">Text too faint to read</p>
  <button id="nameless"></button>
</main></body></html>`;

test("the axe watcher reports serious violations with rule, target and URL, and checks a page state once", async ({ page }) => {
  await page.route(`${ELSEWHERE}/**`, (route) => route.fulfill({ contentType: "text/html", body: FAULTY_PAGE }));
  const checked = new Set<string>();
  const watcher = new AccessibilityWatcher(checked, ELSEWHERE);
  watcher.watchContext(page.context());
  await page.goto(`${ELSEWHERE}/faulty?tab=x`);
  await watcher.finish();

  const report = watcher.report();
  expect(report).toContain("color-contrast (serious)");
  expect(report).toContain("#faint");
  expect(report).toContain("button-name (critical)");
  expect(report).toContain("#nameless");
  expect(report).toContain(`${ELSEWHERE}/faulty?tab=x`);
  expect(watcher.cost.checks).toBe(1);
  expect([...checked]).toEqual(["/faulty?tab#"]);

  // The same state again (another id, other query values): not checked twice.
  const again = new AccessibilityWatcher(checked, ELSEWHERE);
  again.watchContext(page.context());
  await page.goto(`${ELSEWHERE}/faulty?tab=y`);
  await again.finish();
  expect(again.cost.checks).toBe(0);
  expect(again.report()).toBeNull();
});
