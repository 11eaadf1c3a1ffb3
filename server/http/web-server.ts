import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { prepareRequest } from "./prepare-request";
import type { TTrustedProxies } from "./trusted-proxies";

// Tenure's HTTP server: Node's http server in front of Next.js's request
// handler, so that the client's address comes from the socket (Next's own
// server hands route handlers no socket, and keeps a client's own
// X-Forwarded-For) and long headers are cut before Next's regexes see them.
// Kept small: issue 14 mounts the OpenID provider here too.

export type TRequestHandler = (request: IncomingMessage, response: ServerResponse) => Promise<void> | void;

/**
 * Node answers 431 to a request whose headers exceed this (its default, set
 * here so it is a decision): next-auth's cookies are chunked under 4 KiB each.
 */
export const MAX_HEADER_BYTES = 16 * 1024;

export function createWebServer(handler: TRequestHandler, trusted: TTrustedProxies): Server {
  return createServer({ maxHeaderSize: MAX_HEADER_BYTES }, (request, response) => {
    prepareRequest(request, trusted);
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      console.error("[tenure] request failed", error);
      if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
      response.end("Internal Server Error");
    });
  });
}

export function listen(server: Server, port: number, hostname: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
