import type { IncomingMessage, ServerResponse } from "node:http";
import type Provider from "oidc-provider";
import { serverEnv } from "@/server/env";
import { CLIENT_ADDRESS_HEADER } from "@/server/http/client-headers";
import { logUnexpectedError } from "@/server/unexpected-error";
import { handleInteraction } from "@/server/oidc/interaction";
import { OIDC_PATH_PREFIX } from "@/server/oidc/paths";
import { providerForTenant } from "@/server/oidc/provider";

// Tenure's HTTP server (server/http/web-server.ts) hands every request to
// this router first: /oidc/<organisation>/… goes to that organisation's
// provider (or to Tenure's interaction), anything else to Next.js. It lives
// here, not in server/http, because it needs the provider (a domain) and
// server/http is foundation.

export type TNodeHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const INTERACTION = /^\/interaction\/([A-Za-z0-9_-]{1,64})(\/consent|\/decline)?$/;

function notFound(response: ServerResponse): void {
  response.writeHead(404, { "content-type": "application/json", "cache-control": "no-store" });
  response.end(JSON.stringify({ error: "not_found", error_description: "No such issuer" }));
}

/**
 * oidc-provider builds its URLs from the request's scheme and host: they must
 * be the installation's public address (NEXTAUTH_URL), whatever Host a client
 * sent, and the client's address is the one server/http worked out from the
 * socket and TRUSTED_PROXIES. The provider trusts these forwarded headers
 * (proxy mode) because only we write them, here.
 */
function forwardedAsConfigured(request: IncomingMessage): void {
  const publicUrl = new URL(serverEnv().NEXTAUTH_URL);
  request.headers["x-forwarded-proto"] = publicUrl.protocol.replace(/:$/, "");
  request.headers["x-forwarded-host"] = publicUrl.host;
  const address = request.headers[CLIENT_ADDRESS_HEADER];
  if (typeof address === "string" && address) request.headers["x-forwarded-for"] = address;
  else delete request.headers["x-forwarded-for"];
}

/**
 * Tenure's sign-in pages return to the interaction as a document
 * (components/navigation/continue-after-sign-in.ts). Should Next's client
 * router still fetch such a URL (for a React Server Components payload, header
 * RSC), following that fetch would complete the authorization inside an
 * invisible request (and stop at the application's cross-origin redirect).
 * Any answer that is not such a payload makes Next load the URL as a page:
 * this one, with no side effect.
 */
function reloadAsDocument(response: ServerResponse): void {
  response.writeHead(200, { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  response.end("");
}

export function withOpenIdProvider(next: TNodeHandler): TNodeHandler {
  return async (request, response) => {
    const url = request.url ?? "/";
    if (!url.startsWith(OIDC_PATH_PREFIX)) return next(request, response);
    const [pathname = "", query] = splitOnce(url, "?");
    const slugEnd = pathname.indexOf("/", OIDC_PATH_PREFIX.length);
    const slug = pathname.slice(OIDC_PATH_PREFIX.length, slugEnd === -1 ? undefined : slugEnd);
    if (!SLUG.test(slug)) return notFound(response);
    const tenant = await providerForTenant(slug);
    if (!tenant) return notFound(response);
    const rest = slugEnd === -1 ? "/" : pathname.slice(slugEnd);
    if (request.headers.rsc !== undefined) return reloadAsDocument(response);
    forwardedAsConfigured(request);
    try {
      const interaction = INTERACTION.exec(rest);
      if (interaction) {
        const action = interaction[2] === "/consent" ? "consent" : interaction[2] === "/decline" ? "decline" : "show";
        if ((action === "show") !== (request.method === "GET")) {
          response.writeHead(405, { allow: action === "show" ? "GET" : "POST" }).end();
          return;
        }
        await handleInteraction({ tenant, request, response, path: `${OIDC_PATH_PREFIX}${slug}/interaction/${interaction[1]!}` }, interaction[1]!, action);
        return;
      }
      // oidc-provider routes on the path below its mount point and finds the mount point again from originalUrl.
      (request as IncomingMessage & { originalUrl?: string }).originalUrl = url;
      request.url = query === undefined ? rest : `${rest}?${query}`;
      await callbackOf(tenant.provider)(request, response);
    } catch (error) {
      const id = logUnexpectedError(error, `OpenID provider (${slug}) ${request.method} ${rest}`);
      if (!response.headersSent) response.writeHead(500, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: "server_error", error_description: `Something went wrong (error id ${id})` }));
    }
  };
}

const callbacks = new WeakMap<Provider, ReturnType<Provider["callback"]>>();

/** Koa composes its middleware on each callback() call: once per built provider is enough. */
function callbackOf(provider: Provider): ReturnType<Provider["callback"]> {
  let callback = callbacks.get(provider);
  if (!callback) callbacks.set(provider, (callback = provider.callback()));
  return callback;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at === -1 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
