import { sessionCookieFor } from "./session-cookie";

// A browser's cookie jar and redirect following, for driving sign-ins across
// Tenure and a relying party with fetch: cookies by host and path (as a
// browser keeps them), every redirect followed by hand so each hop is seen.

type TCookie = { name: string; value: string; host: string; path: string };

export type THop = { url: string; status: number; location: string | null };

export class Browser {
  private cookies: TCookie[] = [];

  /** A browser already signed in to Tenure with this session row. */
  static async signedIn(tenureUrl: string, sessionId: string): Promise<Browser> {
    const browser = new Browser();
    const [name, value] = (await sessionCookieFor(sessionId)).split(/=(.*)/s) as [string, string];
    browser.cookies.push({ name, value, host: new URL(tenureUrl).hostname, path: "/" });
    return browser;
  }

  /** Replaces the Tenure session cookie (a member signing in again). */
  async signIn(tenureUrl: string, sessionId: string): Promise<void> {
    const [name, value] = (await sessionCookieFor(sessionId)).split(/=(.*)/s) as [string, string];
    this.cookies = this.cookies.filter((cookie) => cookie.name !== name);
    this.cookies.push({ name, value, host: new URL(tenureUrl).hostname, path: "/" });
  }

  cookieHeader(url: URL): string {
    return this.cookies
      .filter((cookie) => cookie.host === url.hostname && (url.pathname === cookie.path || url.pathname.startsWith(cookie.path.endsWith("/") ? cookie.path : `${cookie.path}/`)))
      .map((cookie) => `${cookie.name}=${cookie.value}`)
      .join("; ");
  }

  private store(url: URL, response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";").map((part) => part.trim());
      const [name = "", value = ""] = pair.split(/=(.*)/s);
      let path = "/";
      let expired = false;
      for (const attribute of attributes) {
        const [key = "", attributeValue = ""] = attribute.split("=");
        if (key.toLowerCase() === "path") path = attributeValue || "/";
        if (key.toLowerCase() === "max-age" && Number(attributeValue) <= 0) expired = true;
        if (key.toLowerCase() === "expires" && new Date(attributeValue).getTime() < Date.now()) expired = true;
      }
      this.cookies = this.cookies.filter((cookie) => !(cookie.name === name && cookie.host === url.hostname && cookie.path === path));
      if (!expired) this.cookies.push({ name, value, host: url.hostname, path });
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url);
    const headers = new Headers(init.headers);
    const cookie = this.cookieHeader(target);
    if (cookie) headers.set("cookie", cookie);
    const response = await fetch(target, { ...init, headers, redirect: "manual" });
    this.store(target, response);
    return response;
  }

  /**
   * Follows redirects (at most 20 hops) from `url`; the last response and
   * every hop. `stopAt` ends the walk before requesting a matching URL (its
   * URL is then `url`, not fetched).
   */
  async follow(url: string, init: RequestInit = {}, stopAt?: (next: string) => boolean): Promise<{ response: Response; hops: THop[]; body: string; url: string }> {
    const hops: THop[] = [];
    let current = url;
    let response = await this.request(current, init);
    for (let hop = 0; hop < 20; hop++) {
      const location = response.headers.get("location");
      hops.push({ url: current, status: response.status, location });
      if (response.status < 300 || response.status >= 400 || !location) break;
      await response.arrayBuffer();
      current = new URL(location, current).href;
      if (stopAt?.(current)) return { response, hops, body: "", url: current };
      response = await this.request(current);
    }
    return { response, hops, body: await response.text(), url: current };
  }
}
