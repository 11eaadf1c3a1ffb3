import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { Browser } from "../support/browser";
import { createSignedInMember, createTenant } from "../support/factories";
import { createOidcApplication, grantApplication } from "../support/oidc-applications";
import { relyingParty, tokenRequest } from "../support/oidc-rig";

// Two web processes (tests/support/web-process.ts: Tenure's HTTP server with
// the /oidc router) on one database and one public address: whatever one
// process's provider stored, the other continues. A code issued through
// process A is exchanged at process B, and B's refresh token refreshed at A.

type TWeb = { child: ChildProcess; output: string; port: number };
const webs: TWeb[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function startWeb(port: number, publicUrl: string): Promise<TWeb> {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/support/web-process.ts", String(port)], {
    env: { ...process.env, DATABASE_URL: serverEnv().DATABASE_URL, NEXTAUTH_SECRET: serverEnv().NEXTAUTH_SECRET, NEXTAUTH_URL: publicUrl },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const web: TWeb = { child, output: "", port };
  child.stdout.on("data", (chunk: Buffer) => (web.output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (web.output += chunk.toString()));
  webs.push(web);
  const deadline = Date.now() + 60_000;
  while (!/^listening \d+$/m.test(web.output)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`web process not ready:\n${web.output}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return web;
}

let webA: TWeb;
let webB: TWeb;

beforeAll(async () => {
  const [portA, portB] = [await freePort(), await freePort()];
  // Both serve the one public address (as behind a load balancer): A's, which the relying party uses.
  const publicUrl = `http://127.0.0.1:${portA}`;
  [webA, webB] = await Promise.all([startWeb(portA, publicUrl), startWeb(portB, publicUrl)]);
}, 90_000);

afterAll(async () => {
  await Promise.all(webs.filter((web) => web.child.exitCode === null).map((web) => new Promise((resolve) => web.child.once("exit", resolve).kill("SIGTERM"))));
});

describe("two web processes", () => {
  it("share the provider's state: a code from A is exchanged at B, B's refresh token refreshed at A", async () => {
    const tenant = await createTenant();
    const { member, sessionId } = await createSignedInMember(tenant.id);
    const issuerAtA = `http://127.0.0.1:${webA.port}/oidc/${tenant.slug}`;
    const issuerAtB = `http://127.0.0.1:${webB.port}/oidc/${tenant.slug}`;
    const app = await createOidcApplication(tenant.id, { redirectUris: ["http://127.0.0.1/placeholder"] });
    const rp = await relyingParty({ issuer: issuerAtA, clientId: app.clientId, clientSecret: app.clientSecret, pkce: false });
    await db().application.update({ where: { id: app.application.id }, data: { redirectUris: [rp.redirectUri] } });
    await grantApplication(member.id, app.application.id);

    const browser = await Browser.signedIn(issuerAtA, sessionId);
    const result = await browser.follow(`${rp.url}/login`, {}, (next) => next.startsWith(rp.redirectUri));
    const code = new URL(result.url).searchParams.get("code");
    expect(code, `${JSON.stringify(result.hops)}\n${webA.output}`).toBeTruthy();

    const auth = { clientId: app.clientId, clientSecret: app.clientSecret! };
    const exchanged = await tokenRequest(issuerAtB, { grant_type: "authorization_code", code: code!, redirect_uri: rp.redirectUri }, auth);
    expect(exchanged.status, webB.output).toBe(200);
    const tokens = (await exchanged.json()) as { refresh_token: string; id_token: string };
    const payload = JSON.parse(Buffer.from(tokens.id_token.split(".")[1]!, "base64url").toString()) as { iss: string; sub: string };
    expect(payload).toMatchObject({ iss: issuerAtA, sub: member.id.toString() });

    const refreshed = await tokenRequest(issuerAtA, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, auth);
    expect(refreshed.status).toBe(200);
    // Rotated at A: B refuses the old one.
    const replayed = await tokenRequest(issuerAtB, { grant_type: "refresh_token", refresh_token: tokens.refresh_token }, auth);
    expect(replayed.status).toBe(400);
  });
});
