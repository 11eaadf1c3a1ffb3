/**
 * "Skip to main content": the first thing Tab reaches on a layout, hidden
 * until focused, so keyboard and screen-reader users need not walk the
 * navigation on every page. Its target is the layout's `<main id="main" tabIndex={-1}>`.
 */
export function SkipLink() {
  return (
    <a
      href="#main"
      className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded focus:bg-white focus:px-4 focus:py-2 focus:text-sm focus:font-medium focus:text-brand-700 focus:shadow-lg focus:ring-2 focus:ring-brand-600"
    >
      Skip to main content
    </a>
  );
}
