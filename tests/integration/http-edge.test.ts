import { request as httpRequest, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { POST } from "@/app/api/trpc/[trpc]/route";
import { db } from "@/server/db/client";
import { CLIENT_ADDRESS_HEADER, MAX_USER_AGENT_LENGTH } from "@/server/http/client-headers";
import { parseTrustedProxies, NO_TRUSTED_PROXIES, type TTrustedProxies } from "@/server/http/trusted-proxies";
import { createWebServer, listen, type TRequestHandler } from "@/server/http/web-server";
import { createMember, createTenant } from "../support/factories";
import { nodeHandlerFor } from "../support/node-fetch-adapter";

// Tenure's HTTP server (server/http/) over real sockets: the client's address
// is the socket's peer unless TRUSTED_PROXIES vouch for X-Forwarded-For, and
// what the app sees of the request is what the server wrote.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

async function serve(handler: TRequestHandler, trusted: TTrustedProxies): Promise<number> {
  const server = createWebServer(handler, trusted);
  servers.push(server);
  await listen(server, 0, "127.0.0.1");
  return (server.address() as AddressInfo).port;
}

function send(port: number, path: string, headers: Record<string, string>, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: "127.0.0.1", port, path, method: body ? "POST" : "GET", headers }, (response) => {
      let text = "";
      response.on("data", (chunk: Buffer) => (text += chunk.toString()));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: text }));
    });
    request.on("error", reject);
    request.end(body);
  });
}

/** Asks for a password reset through the app's real tRPC route; the queued job records who asked. */
async function resetRequestRecordedAddress(trusted: TTrustedProxies, headers: Record<string, string>) {
  const tenant = await createTenant();
  const member = await createMember(tenant.id);
  const port = await serve(nodeHandlerFor(POST), trusted);
  const answer = await send(port, "/api/trpc/auth.passwordReset.request", { "content-type": "application/json", ...headers }, JSON.stringify({ json: { organisation: tenant.slug, login: member.username } }));
  expect(answer.status).toBe(200);
  // The request only queues the job that mails the link (same work for any account); its payload names who asked.
  const [job] = await db().$queryRaw<{ ip: string | null }[]>`
    SELECT j.payload->>'ipAddress' AS ip FROM graphile_worker._private_jobs j
    JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    WHERE t.identifier = 'auth__password_reset_request' AND j.payload->>'organisation' = ${tenant.slug}`;
  if (!job) throw new Error("the reset request queued no job");
  return job.ip;
}

const FORGED = { "x-forwarded-for": "6.6.6.6", "x-real-ip": "6.6.6.7", [CLIENT_ADDRESS_HEADER]: "6.6.6.8" };

describe("the client's address over real HTTP", () => {
  it("is the socket's peer when no proxy is trusted, whatever forwarded headers the client wrote", async () => {
    expect(await resetRequestRecordedAddress(NO_TRUSTED_PROXIES, FORGED)).toBe("127.0.0.1");
  });

  it("is the entry the trusted hops appended with TRUSTED_PROXIES=2", async () => {
    // Client → proxy A (appends the client, 203.0.113.9) → proxy B (appends A, 10.0.0.5) → us (peer: B).
    const headers = { "x-forwarded-for": "6.6.6.6, 203.0.113.9, 10.0.0.5" };
    expect(await resetRequestRecordedAddress(parseTrustedProxies("2"), headers)).toBe("203.0.113.9");
  });

  it("is the first address from the right that no trusted proxy range holds with TRUSTED_PROXIES as CIDRs", async () => {
    const headers = { "x-forwarded-for": "6.6.6.6, 2001:db8::9, 10.1.2.3" };
    expect(await resetRequestRecordedAddress(parseTrustedProxies("10.0.0.0/8, 127.0.0.1"), headers)).toBe("2001:db8::9");
    // The peer itself not trusted: X-Forwarded-For is not read at all.
    expect(await resetRequestRecordedAddress(parseTrustedProxies("10.0.0.0/8"), headers)).toBe("127.0.0.1");
  });
});

describe("what the app sees of a request", () => {
  const echo: TRequestHandler = (request, response) => {
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ headers: request.headers, rawHeaders: request.rawHeaders }));
  };

  it("a user agent cut to a sane length, and the client address only as the server wrote it", async () => {
    const port = await serve(echo, NO_TRUSTED_PROXIES);
    const longAgent = `Mozilla/5.0 ${"Version/1.0 ".repeat(1300)}Safari/605`;
    const answer = await send(port, "/", { "user-agent": longAgent, [CLIENT_ADDRESS_HEADER]: "6.6.6.8" });
    const seen = JSON.parse(answer.body) as { headers: IncomingHttpHeaders; rawHeaders: string[] };
    expect(seen.headers["user-agent"]).toBe(longAgent.slice(0, MAX_USER_AGENT_LENGTH));
    expect(seen.headers[CLIENT_ADDRESS_HEADER]).toBe("127.0.0.1");
    expect(seen.rawHeaders.every((value) => value.length <= MAX_USER_AGENT_LENGTH)).toBe(true);
    expect(seen.rawHeaders).not.toContain("6.6.6.8");
  });

  it("headers beyond the size limit are refused with 431 before the app runs", async () => {
    const port = await serve(echo, NO_TRUSTED_PROXIES);
    const answer = await send(port, "/", { "x-padding": "a".repeat(20_000) });
    expect(answer.status).toBe(431);
  });
});
