import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Browser, BrowserContext, Page } from "@playwright/test";
import type { AxeResults, RunOptions } from "axe-core";

// Every page the e2e suite visits is checked with axe-core against WCAG 2.2 AA
// (issue 11, item 11). A watcher listens to each page of the test's browser
// contexts: once a navigation (a full load or a client-side route change) has
// been quiet for a moment, and once more when the test ends, the page is
// checked, unless the same page in the same state (route, query keys, open
// dialogs) was already checked earlier in the run. Serious and critical
// violations fail the test that visited the page.

export const WCAG_22_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] as const;
const FAILING_IMPACTS = new Set(["serious", "critical"]);
/** A page is checked once no navigation happened for this long: client routes have rendered by then. */
const QUIET_AFTER_NAVIGATION_MS = 400;
const TARGETS_SHOWN_PER_RULE = 6;

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core on the page's document: injected once per document (a client-side
 * route change keeps it; @axe-core/playwright's builder evaluated its 550 kB
 * twice per check, about a quarter of a check's time), then run against the
 * WCAG 2.2 AA rules, returning only the violations. The app has no frames.
 */
async function runAxe(page: Page): Promise<AxeResults["violations"]> {
  const present = await page.evaluate(() => typeof (window as { axe?: { run?: unknown } }).axe?.run === "function");
  if (!present) await page.evaluate(AXE_SOURCE);
  return page.evaluate(
    async (tags) => {
      const axe = (window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } }).axe;
      const results = await axe.run(document, { runOnly: { type: "tag", values: tags }, resultTypes: ["violations"], iframes: false });
      return results.violations;
    },
    [...WCAG_22_AA_TAGS],
  );
}

export type TAccessibilityViolation = { url: string; rule: string; impact: string; help: string; targets: string[] };

/** Errors that only mean the page moved on or closed while axe ran: the next navigation is checked instead. */
const PAGE_MOVED_ON = /closed|destroyed|navigat|detached|Target page|has been closed|reading '(?:run|runPartial)'|axe is not defined/i;

/**
 * What makes two visits "the same page": the route with ids folded, the query's
 * keys (a filter or tab changes what is shown) and the names of open dialogs.
 */
function pageStateKey(): string {
  const route = location.pathname
    .split("/")
    .map((segment) => (/^\d+$/.test(segment) || (segment.length >= 12 && /\d/.test(segment)) ? ":id" : segment))
    .join("/");
  const queryKeys = [...new URLSearchParams(location.search).keys()].sort().join(",");
  const dialogs = [...document.querySelectorAll('[role="dialog"], [role="alertdialog"], dialog[open]')]
    .map((dialog) => dialog.getAttribute("aria-label") ?? dialog.querySelector("h1, h2, h3")?.textContent ?? "dialog")
    .sort()
    .join("|");
  return `${route}?${queryKeys}#${dialogs}`;
}

export class AccessibilityWatcher {
  private readonly violations: TAccessibilityViolation[] = [];
  private readonly failures: string[] = [];
  /** One check at a time: axe is heavy on two cores and a check must see the state it keyed. */
  private queue: Promise<void> = Promise.resolve();
  private readonly timers = new Map<Page, ReturnType<typeof setTimeout>>();
  private readonly pages = new Set<Page>();
  /** Navigations seen per page: a check that saw one start under it threw away what it found. */
  private readonly navigations = new Map<Page, number>();
  private stopped = false;
  /** What the checks cost this test, for the suite's timing (an annotation on the test). */
  readonly cost = { checks: 0, milliseconds: 0 };

  /**
   * `checked` outlives the test (one per worker) so a page checked once is not
   * checked again; only pages of `origin` (the app's) are checked.
   */
  constructor(
    private readonly checked: Set<string>,
    private readonly origin: string,
  ) {}

  watchContext(context: BrowserContext): void {
    for (const page of context.pages()) this.watchPage(page);
    context.on("page", (page) => this.watchPage(page));
  }

  /** Watches contexts a test opens itself (`browser.newContext()`); returns the undo. */
  watchNewContexts(browser: Browser): () => void {
    const original = browser.newContext.bind(browser);
    browser.newContext = async (...options) => {
      const context = await original(...options);
      this.watchContext(context);
      return context;
    };
    return () => {
      browser.newContext = original;
    };
  }

  private watchPage(page: Page): void {
    this.pages.add(page);
    page.on("close", () => {
      this.pages.delete(page);
      clearTimeout(this.timers.get(page));
    });
    page.on("framenavigated", (frame) => {
      if (frame !== page.mainFrame()) return;
      this.navigations.set(page, (this.navigations.get(page) ?? 0) + 1);
      this.scheduleCheck(page);
    });
  }

  private scheduleCheck(page: Page): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(page));
    this.timers.set(
      page,
      setTimeout(() => {
        this.timers.delete(page);
        void this.enqueue(page);
      }, QUIET_AFTER_NAVIGATION_MS),
    );
  }

  private enqueue(page: Page): Promise<void> {
    this.queue = this.queue.then(() => this.check(page));
    return this.queue;
  }

  private async check(page: Page): Promise<void> {
    if (page.isClosed() || !page.url().startsWith(`${this.origin}/`)) return;
    const started = Date.now();
    try {
      await page.waitForLoadState("load");
      const navigationsBefore = this.navigations.get(page) ?? 0;
      const key = await page.evaluate(pageStateKey);
      if (this.checked.has(key)) return;
      const url = page.url();
      this.cost.checks += 1;
      // One page, no helper tab (a blank page opened in the test's context would disturb specs that count pages).
      const violations = await runAxe(page);
      // The page moved on while axe ran (a client route change swaps the title and the tree):
      // what it saw was half one page, half the next. The navigation's own check covers the next.
      if ((this.navigations.get(page) ?? 0) !== navigationsBefore) return;
      this.checked.add(key);
      for (const violation of violations) {
        if (!violation.impact || !FAILING_IMPACTS.has(violation.impact)) continue;
        this.violations.push({
          url,
          rule: violation.id,
          impact: violation.impact,
          help: violation.help,
          targets: violation.nodes.map((node) => node.target.map(String).join(" ")),
        });
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!page.isClosed() && !PAGE_MOVED_ON.test(message)) this.failures.push(`axe could not check ${page.url()}: ${message}`);
    } finally {
      this.cost.milliseconds += Date.now() - started;
    }
  }

  /** The end of the test: pending checks run now, then every open page is checked as it was left. */
  async finish(): Promise<void> {
    this.stopped = true;
    for (const [page, timer] of this.timers) {
      clearTimeout(timer);
      void this.enqueue(page);
    }
    this.timers.clear();
    for (const page of this.pages) void this.enqueue(page);
    await this.queue;
  }

  /** A readable account of what failed, or null. */
  report(): string | null {
    if (this.violations.length === 0 && this.failures.length === 0) return null;
    const lines = [`Accessibility (axe-core, WCAG 2.2 AA): ${this.violations.length} serious or critical violation(s), ${this.failures.length} page(s) not checked`];
    for (const violation of this.violations) {
      lines.push(`- ${violation.rule} (${violation.impact}) on ${violation.url}: ${violation.help}`);
      for (const target of violation.targets.slice(0, TARGETS_SHOWN_PER_RULE)) lines.push(`    ${target}`);
      const more = violation.targets.length - TARGETS_SHOWN_PER_RULE;
      if (more > 0) lines.push(`    … and ${more} more`);
    }
    lines.push(...this.failures);
    return lines.join("\n");
  }
}
