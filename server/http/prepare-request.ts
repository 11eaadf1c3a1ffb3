import type { IncomingMessage } from "node:http";
import { clientAddress } from "./client-address";
import { CLIENT_ADDRESS_HEADER, MAX_USER_AGENT_LENGTH } from "./client-headers";
import type { TTrustedProxies } from "./trusted-proxies";

// What our server does to each request before Next.js sees it.

export function prepareRequest(request: IncomingMessage, trusted: TTrustedProxies): void {
  const { headers } = request;
  // Only we write this header: a client's own copy is dropped, whatever we then find.
  delete headers[CLIENT_ADDRESS_HEADER];
  const address = clientAddress(request.socket.remoteAddress, headers["x-forwarded-for"], trusted);
  if (address) headers[CLIENT_ADDRESS_HEADER] = address;
  const userAgent = headers["user-agent"];
  if (userAgent && userAgent.length > MAX_USER_AGENT_LENGTH) headers["user-agent"] = userAgent.slice(0, MAX_USER_AGENT_LENGTH);
  // next-auth's answers are a few hundred bytes of JSON or a redirect: gzipping
  // them costs more CPU (both ends) than it saves bytes, on the sign-in hot path.
  const uncompressed = isNextAuthPath(request.url);
  if (uncompressed) delete headers["accept-encoding"];
  // rawHeaders is what some libraries read instead: keep it in step with the cut.
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index]!.toLowerCase();
    if (uncompressed && name === "accept-encoding") request.rawHeaders[index + 1] = "identity";
    if (name === "user-agent") request.rawHeaders[index + 1] = request.rawHeaders[index + 1]!.slice(0, MAX_USER_AGENT_LENGTH);
    if (name === CLIENT_ADDRESS_HEADER) request.rawHeaders[index + 1] = address ?? "";
  }
}

/** next-auth's own routes (CSRF token, callbacks, session, sign-out). */
export function isNextAuthPath(url: string | undefined): boolean {
  return url !== undefined && (url === "/api/auth" || url.startsWith("/api/auth/") || url.startsWith("/api/auth?"));
}
