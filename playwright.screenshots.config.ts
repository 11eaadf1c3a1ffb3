import { defineConfig } from "@playwright/test";
import suite from "./playwright.config";

// `npm run screenshots` (scripts/screenshots.ts): the README's pictures, taken
// against the same e2e server as the suite, by specs kept out of `npm test`
// (the suite's testDir is tests/e2e).
export default defineConfig({
  ...suite,
  testDir: "tests/screenshots",
  outputDir: "test-results/screenshots",
  reporter: [["list"]],
  timeout: 120_000,
  projects: [{ name: "screenshots" }],
});
