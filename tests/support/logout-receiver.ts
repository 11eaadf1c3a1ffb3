import http from "node:http";
import { createLocalJWKSet, jwtVerify, type JWTPayload } from "jose";
import { db } from "@/server/db/client";
import { findFreePort } from "@/server/db/free-port";
import { loadSigningKeys } from "@/server/oidc/signing-keys";
import { BACKCHANNEL_LOGOUT_EVENT } from "@/server/oidc/backchannel-logout-token";

// A real HTTP endpoint standing in for applications' back-channel logout
// URIs: it verifies each logout token as a relying party must (OpenID
// Connect Back-Channel Logout 1.0, 2.6) against the issuer's published keys,
// and can be switched to answer 503 as an application that is down.

export type TReceivedLogout = { path: string; payload: JWTPayload; typ: string | undefined; receivedAt: Date };

export async function startLogoutReceiver(issuer: string) {
  const port = await findFreePort();
  const received: TReceivedLogout[] = [];
  const rejected: string[] = [];
  let answer = 200;
  const keys = createLocalJWKSet({ keys: (await loadSigningKeys(db())).map((key) => key.publicJwk) });

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void (async () => {
        // An application that answers with a redirect: following it would be a mistake (the token must reach only the configured URI).
        if ((request.url ?? "").startsWith("/redirect/")) {
          response.writeHead(302, { location: `/logout/${(request.url ?? "").slice("/redirect/".length)}` }).end();
          return;
        }
        if (answer !== 200) {
          response.writeHead(answer).end("unavailable");
          return;
        }
        const logoutToken = new URLSearchParams(Buffer.concat(chunks).toString("utf8")).get("logout_token");
        const audience = decodeURIComponent((request.url ?? "").split("/")[2] ?? "");
        try {
          if (request.headers["content-type"] !== "application/x-www-form-urlencoded" || !logoutToken) throw new Error("no logout_token form field");
          const { payload, protectedHeader } = await jwtVerify(logoutToken, keys, { issuer, audience, typ: "logout+jwt", algorithms: ["RS256"], maxTokenAge: "2 minutes" });
          const events = payload.events as Record<string, unknown> | undefined;
          if (!events || typeof events[BACKCHANNEL_LOGOUT_EVENT] !== "object" || "nonce" in payload || !payload.sid || !payload.sub || !payload.jti) {
            throw new Error("not a logout token");
          }
          received.push({ path: request.url ?? "", payload, typ: protectedHeader.typ, receivedAt: new Date() });
          response.writeHead(200, { "cache-control": "no-store" }).end();
        } catch (error) {
          rejected.push(error instanceof Error ? error.message : String(error));
          response.writeHead(400).end();
        }
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${port}`;
  return {
    /** The back-channel logout URI of an application with this client id (the receiver checks the token's audience against it). */
    uriFor: (clientId: string) => `${base}/logout/${encodeURIComponent(clientId)}`,
    /** A URI that redirects to uriFor(clientId). */
    redirectingUriFor: (clientId: string) => `${base}/redirect/${encodeURIComponent(clientId)}`,
    received,
    rejected,
    answerWith: (status: number) => {
      answer = status;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
