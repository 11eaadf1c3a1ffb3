import { readFileSync } from "node:fs";
import path from "node:path";
import { createElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";
import { ListState, type TNextPageStatus, type TQueryStatus } from "@/components/list/list-state";
import { REPOSITORY_ROOT as ROOT, sourceFiles } from "../support/source-files";

// Every list and panel shows loading, failure with "Try again", empty and
// "Load more" through components/list/list-state.tsx (issue 11 item 20: some
// twenty copies had drifted apart). A static scan keeps new copies out; the
// rest checks the states themselves.

const LIST_STATE = "components/list/list-state.tsx";
/** A "Try again" of its own: as an element's text, or as a whole string (a label passed on). */
const OWN_RETRY = /(?:>\s*Try again\s*<)|(?:["'`]Try again[.!]?["'`])/;
/** A "Load more" of its own, or a next page fetched by hand. */
const OWN_LOAD_MORE = /(?:>\s*Load more\s*<)|(?:[=?:]\s*["'`]Load more["'`])|\.fetchNextPage\(/;

type TQuery = TQueryStatus<{ pages: { items: { id: string; name: string }[] }[] }> & TNextPageStatus;

function infiniteQuery(overrides: Partial<TQuery>): TQuery {
  return {
    isPending: false,
    data: { pages: [{ items: [{ id: "1", name: "Ada" }] }] },
    error: null,
    refetch: vi.fn(),
    hasNextPage: false,
    isFetchingNextPage: false,
    isFetchNextPageError: false,
    fetchNextPage: vi.fn(),
    ...overrides,
  };
}

function list(query: TQuery) {
  // A hook-free component: called as a function, it gives the element tree to render or to walk.
  return ListState({
    query,
    loading: "Loading the people…",
    failure: "The people could not be loaded",
    empty: "Nobody yet.",
    moreFailure: "More people could not be loaded",
    refreshFailure: "The people could not be refreshed",
    children: (people: { id: string; name: string }[]) => createElement("ul", { "aria-label": "People" }, ...people.map((person) => createElement("li", { key: person.id }, person.name))),
  });
}

/** Calls the (hook-free) function components down the tree, so a button's handler can be reached. */
function expand(node: ReactNode): ReactNode {
  if (Array.isArray(node)) return node.map(expand);
  if (!isValidElement(node)) return node;
  const element = node as ReactElement<{ children?: ReactNode }>;
  if (typeof element.type === "function") return expand((element.type as (props: unknown) => ReactNode)(element.props));
  return { ...element, props: { ...element.props, children: expand(element.props.children) } } as ReactElement;
}

function textOf(node: ReactNode): string {
  if (Array.isArray(node)) return node.map(textOf).join("");
  if (typeof node === "string" || typeof node === "number") return String(node);
  if (!isValidElement(node)) return "";
  return textOf((node.props as { children?: ReactNode }).children);
}

function buttons(node: ReactNode): ReactElement<{ onClick: () => void; disabled?: boolean }>[] {
  if (Array.isArray(node)) return node.flatMap(buttons);
  if (!isValidElement(node)) return [];
  const own = node.type === "button" ? [node as ReactElement<{ onClick: () => void }>] : [];
  return [...own, ...buttons((node.props as { children?: ReactNode }).children)];
}

const retryButton = (node: ReactNode) => buttons(expand(node)).find((button) => textOf(button) === "Try again");

/** The failure reads `text` in an alert, and its "Try again" calls `retry` (and nothing else). */
function expectFailure(query: TQuery, text: string, retry: "refetch" | "fetchNextPage") {
  const html = renderToStaticMarkup(list(query));
  expect(html).toContain('role="alert"');
  expect(html).toContain(text);
  retryButton(list(query))!.props.onClick();
  expect(query[retry]).toHaveBeenCalledOnce();
  expect(query[retry === "refetch" ? "fetchNextPage" : "refetch"]).not.toHaveBeenCalled();
  return html;
}

describe("list states have one home", () => {
  it("the scan recognises a retry of its own", () => {
    expect(OWN_RETRY.test(`<button onClick={retry}>\n  Try again\n</button>`)).toBe(true);
    expect(OWN_RETRY.test(`<Button label="Try again" />`)).toBe(true);
    expect(OWN_RETRY.test(`message: "Could not check that right now. Try again in a moment."`)).toBe(false);
    expect(OWN_LOAD_MORE.test(`{list.isFetchingNextPage ? "Loading…" : "Load more"}`)).toBe(true);
    expect(OWN_LOAD_MORE.test(`onClick={() => void list.fetchNextPage()}`)).toBe(true);
    expect(OWN_LOAD_MORE.test(`// ("Load more" fetches the next keyset page)`)).toBe(false);
  });

  it(`no component outside ${LIST_STATE} renders its own "Try again"`, () => {
    const files = ["app", "components"].flatMap((layer) => sourceFiles(path.join(ROOT, layer)));
    expect(files.length).toBeGreaterThan(20);
    const offenders = files.map((file) => path.relative(ROOT, file).split(path.sep).join("/")).filter((file) => file !== LIST_STATE && OWN_RETRY.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
  });

  it(`no component outside ${LIST_STATE} renders its own "Load more"`, () => {
    const files = ["app", "components"].flatMap((layer) => sourceFiles(path.join(ROOT, layer)));
    const offenders = files.map((file) => path.relative(ROOT, file).split(path.sep).join("/")).filter((file) => file !== LIST_STATE && OWN_LOAD_MORE.test(readFileSync(path.join(ROOT, file), "utf8")));
    expect(offenders).toEqual([]);
  });
});

describe("ListState", () => {
  it("says the list is loading, busy, while there is no data yet", () => {
    const html = renderToStaticMarkup(list(infiniteQuery({ isPending: true, data: undefined })));
    expect(html).toContain('role="status"');
    expect(html).toContain('aria-busy="true"');
    expect(html).toContain("Loading the people…");
    expect(html).not.toContain("Nobody yet.");
  });

  it("shows a failed load with the server's reason, and Try again fetches again", () => {
    const html = expectFailure(infiniteQuery({ data: undefined, error: { message: "the server is away" } }), "The people could not be loaded: the server is away", "refetch");
    expect(html).not.toContain("Nobody yet.");
  });

  it("shows the list's own empty message, but not for another filter's rows still on screen", () => {
    const empty = infiniteQuery({ data: { pages: [{ items: [] }] } });
    expect(renderToStaticMarkup(list(empty))).toContain("Nobody yet.");
    const stale = infiniteQuery({ data: { pages: [{ items: [] }] }, isPlaceholderData: true });
    expect(renderToStaticMarkup(list(stale))).toContain("Loading the people…");
    expect(renderToStaticMarkup(list(stale))).not.toContain("Nobody yet.");
  });

  it("renders every page's items, then Load more, busy and disabled while the next page loads", () => {
    const more = infiniteQuery({ data: { pages: [{ items: [{ id: "1", name: "Ada" }] }, { items: [{ id: "2", name: "Grace" }] }] }, hasNextPage: true });
    const html = renderToStaticMarkup(list(more));
    expect(html).toContain("<li>Ada</li><li>Grace</li>");
    expect(html).toMatch(/<button type="button" class="[^"]*">Load more<\/button>/);
    buttons(expand(list(more))).find((button) => textOf(button) === "Load more")!.props.onClick();
    expect(more.fetchNextPage).toHaveBeenCalledOnce();

    const loading = renderToStaticMarkup(list({ ...more, isFetchingNextPage: true }));
    expect(loading).toMatch(/<button type="button" disabled="" aria-busy="true" class="[^"]*">Loading…<\/button>/);
    expect(renderToStaticMarkup(list({ ...more, hasNextPage: false }))).not.toContain("Load more");
  });

  it("keeps the rows when the next page fails, and Try again asks for that page again", () => {
    const query = infiniteQuery({ hasNextPage: true, isFetchNextPageError: true, error: { message: "timeout" } });
    expect(expectFailure(query, "More people could not be loaded: timeout", "fetchNextPage")).toContain("<li>Ada</li>");
  });

  it("keeps the rows when a refresh fails, and says so with Try again", () => {
    const query = infiniteQuery({ isRefetchError: true, error: { message: "offline" } });
    expect(expectFailure(query, "The people could not be refreshed: offline", "refetch")).toContain("<li>Ada</li>");
  });

  it("reads a plain query's array as the items", () => {
    const plain: TQueryStatus<{ id: string; name: string }[]> = { isPending: false, data: [{ id: "1", name: "Ada" }], error: null, refetch: vi.fn() };
    const html = renderToStaticMarkup(
      ListState({
        query: plain,
        loading: "Loading…",
        failure: "Failed",
        empty: "None",
        children: (people: { id: string; name: string }[]) => people.map((person) => person.name).join(", "),
      }),
    );
    expect(html).toBe('<div class="space-y-3">Ada</div>');
  });
});
