import { request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { GET } from "@/app/api/trpc/[trpc]/route";
import { db } from "@/server/db/client";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { NO_TRUSTED_PROXIES } from "@/server/http/trusted-proxies";
import { createWebServer, listen } from "@/server/http/web-server";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { nodeHandlerFor } from "../support/node-fetch-adapter";

// The surface issue 10 added (the sign-in throttle's procedures, the setup
// code, Tenure's HTTP server, the queued reset request), read as an attacker:
// anonymous, a member, a plain admin against an owner or another tenant, a
// burst of parallel calls, a NUL byte, a megabyte, a malformed cookie.

const client = { ipAddress: "198.51.100.77", userAgent: "vitest" };
const MEGABYTE = "a".repeat(1024 * 1024);

const codeOf = (promise: Promise<unknown>) => promise.then(() => "ok", (error: unknown) => (error as TRPCError).code);

async function callerFor(tenantId: bigint, role: "member" | "admin" | "owner") {
  const { member, sessionId } = await createSignedInMember(tenantId, { role });
  return { member, caller: createCaller(await createContextForSessionId(sessionId, client)) };
}

/** Wrong passwords from a stranger until the member's unfamiliar bucket is throttled (policy threshold 3). */
async function throttled(tenant: { id: bigint; slug: string }, login: string) {
  await db().tenantSecurityPolicy.upsert({ where: { tenantId: tenant.id }, create: { tenantId: tenant.id, lockoutThreshold: 3 }, update: { lockoutThreshold: 3 } });
  for (let index = 0; index < 3; index += 1) {
    await signInWithPassword(db(), { organisation: tenant.slug, login, password: `guess ${index}` }, { ipAddress: "203.0.113.201", userAgent: "curl/8.0" }).catch(() => null);
  }
}

describe("the sign-in throttle's procedures", () => {
  it("refuse anonymous callers and members, and see no other tenant's members", async () => {
    const tenant = await createTenant();
    const target = await createMember(tenant.id);
    const anonymous = createCaller(await createContextForSessionId(null, client));
    expect(await codeOf(anonymous.security.signInThrottle({ memberId: String(target.id) }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.security.clearSignInThrottle({ memberId: String(target.id) }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous.security.mySignInThrottle())).toBe("UNAUTHORIZED");

    const { caller: member } = await callerFor(tenant.id, "member");
    expect(await codeOf(member.security.signInThrottle({ memberId: String(target.id) }))).toBe("FORBIDDEN");
    expect(await codeOf(member.security.clearSignInThrottle({ memberId: String(target.id) }))).toBe("FORBIDDEN");

    const otherTenant = await createTenant();
    const { caller: foreignAdmin } = await callerFor(otherTenant.id, "owner");
    await throttled(tenant, target.username);
    expect(await codeOf(foreignAdmin.security.signInThrottle({ memberId: String(target.id) }))).toBe("NOT_FOUND");
    expect(await codeOf(foreignAdmin.security.clearSignInThrottle({ memberId: String(target.id) }))).toBe("NOT_FOUND");
    expect(await db().loginAttempt.count({ where: { userId: target.id, result: "cleared" } })).toBe(0);
  });

  it("a plain admin cannot clear an owner's throttle; the owner can", async () => {
    const tenant = await createTenant();
    const owner = await createMember(tenant.id, { role: "owner" });
    await throttled(tenant, owner.username);
    const { caller: admin } = await callerFor(tenant.id, "admin");
    expect(await codeOf(admin.security.clearSignInThrottle({ memberId: String(owner.id) }))).toBe("FORBIDDEN");
    const { caller: otherOwner } = await callerFor(tenant.id, "owner");
    expect(await otherOwner.security.clearSignInThrottle({ memberId: String(owner.id) })).toEqual({ cleared: true });
  });

  it("50 parallel clears clear once: one audit event, every call answered", async () => {
    const tenant = await createTenant();
    const target = await createMember(tenant.id);
    await throttled(tenant, target.username);
    const { caller: admin } = await callerFor(tenant.id, "admin");
    const answers = await Promise.all(Array.from({ length: 50 }, () => admin.security.clearSignInThrottle({ memberId: String(target.id) })));
    expect(answers.filter((answer) => answer.cleared)).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { targetId: target.id, action: "member.sign_in_throttle_cleared" } })).toBe(1);
    expect(await admin.security.signInThrottle({ memberId: String(target.id) })).toMatchObject({ unfamiliarUntil: null, familiarUntil: null });
  });

  it("a NUL byte or a megabyte as the member id is a bad request, not a server error", async () => {
    const tenant = await createTenant();
    const { caller: admin } = await callerFor(tenant.id, "admin");
    for (const memberId of ["1\u0000", MEGABYTE, "12345678901234567890123456"]) {
      expect(await codeOf(admin.security.clearSignInThrottle({ memberId }))).toBe("BAD_REQUEST");
      expect(await codeOf(admin.security.signInThrottle({ memberId }))).toBe("BAD_REQUEST");
    }
  });
});

describe("the queued reset request and the setup code", () => {
  it("a megabyte or a NUL byte as the login is refused before anything is queued", async () => {
    const anonymous = createCaller(await createContextForSessionId(null, client));
    const jobsBefore = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`;
    for (const login of [MEGABYTE, "ada\u0000"]) {
      expect(await codeOf(anonymous.auth.passwordReset.request({ organisation: "acme", login }))).toBe("BAD_REQUEST");
    }
    const jobsAfter = await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM graphile_worker._private_jobs`;
    expect(jobsAfter[0]!.n).toBe(jobsBefore[0]!.n);
  });

  it("50 parallel requests for one login queue one job (one mail), not 50", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const anonymous = createCaller(await createContextForSessionId(null, client));
    await Promise.all(Array.from({ length: 50 }, () => anonymous.auth.passwordReset.request({ organisation: tenant.slug, login: member.username })));
    const [row] = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'auth__password_reset_request' AND j.payload->>'organisation' = ${tenant.slug}`;
    expect(row!.n).toBe(1);
  });

  it("a setup code with a NUL byte or a megabyte is a bad request, whatever the installation's state", async () => {
    const anonymous = createCaller(await createContextForSessionId(null, client));
    for (const setupCode of ["AAAA\u0000BBBB-CCCC-DDDD", MEGABYTE]) {
      const code = await codeOf(anonymous.setup.createFirstTenant({ setupCode } as never));
      expect(["BAD_REQUEST", "FORBIDDEN"]).toContain(code);
    }
  });
});

describe("Tenure's HTTP server with hostile cookies", () => {
  const servers: Server[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it("a malformed or megabyte cookie gets the ordinary signed-out answer, never a 500", async () => {
    const server = createWebServer(nodeHandlerFor(GET), NO_TRUSTED_PROXIES);
    servers.push(server);
    await listen(server, 0, "127.0.0.1");
    const port = (server.address() as AddressInfo).port;
    const send = (cookie: string) =>
      new Promise<number>((resolve, reject) => {
        const request = httpRequest({ host: "127.0.0.1", port, path: "/api/trpc/security.mySignInThrottle", headers: { cookie } }, (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        });
        request.on("error", reject);
        request.end();
      });
    expect(await send("x=%; next-auth.session-token=%E0%A4%A")).toBe(401);
    expect(await send(`next-auth.session-token=${"%".repeat(4000)}`)).toBe(401);
    // Over the 16 KiB header limit: refused before the app runs.
    expect(await send(`next-auth.session-token=${"a".repeat(20_000)}`)).toBe(431);
  });
});
