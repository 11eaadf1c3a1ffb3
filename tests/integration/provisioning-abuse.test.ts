import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { markSteppedUp } from "@/server/auth/step-up";
import { createContextForSessionId } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { scimBaseUrlProblem } from "@/server/provisioning/scim-url";
import { SCIM_PROBE_LIMIT } from "@/server/provisioning/test-scim-connection";
import { createSignedInMember, createTenant } from "../support/factories";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";
import { connectedApplication, scimSettingsInput } from "../support/provisioning";
import { POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { sessionCookieFor } from "../support/session-cookie";
import { Prisma } from "@/server/db/generated/client";
import { reserveTokenSql } from "@/server/rate-limits/token-bucket";

// Issue 15's procedures read as an attacker: who may call them, on whose
// application, with what input, towards which address.

const ADDED = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).filter((path) => path.startsWith("provisioning."));

type TCallable = (input: unknown) => Promise<unknown>;
const procedureOf = (caller: unknown, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as TCallable;
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: { code?: string }) => error.code ?? "THREW");

let peer: TScimPeer;
beforeAll(async () => {
  peer = await startScimPeer();
});
afterAll(async () => {
  await peer.stop();
});

async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  const member = await createSignedInMember(tenant.id);
  await markSteppedUp(db(), owner.sessionId);
  await markSteppedUp(db(), admin.sessionId);
  const caller = async (sessionId: string | null) => createCaller(await createContextForSessionId(sessionId));
  const { applicationId } = await connectedApplication(tenant.id);
  return { tenant, owner, admin, member, applicationId, asOwner: await caller(owner.sessionId), asAdmin: await caller(admin.sessionId), asMember: await caller(member.sessionId), asAnonymous: await caller(null) };
}

describe("provisioning procedures against callers without the right", () => {
  it("lists the added procedures (the checks below are not vacuous)", () => {
    expect(ADDED.length).toBeGreaterThanOrEqual(6);
  });

  it("answer an anonymous caller UNAUTHORIZED and a plain member FORBIDDEN", async () => {
    const s = await scene();
    for (const path of ADDED) {
      for (const input of [{}, { applicationId: s.applicationId }, scimSettingsInput(s.applicationId)]) {
        expect(await codeOf(procedureOf(s.asAnonymous, path)(input)), `${path} anonymous`).toBe("UNAUTHORIZED");
        expect(await codeOf(procedureOf(s.asMember, path)(input)), `${path} member`).toBe("FORBIDDEN");
      }
    }
  });

  it("a plain admin may read and test, but not connect, change or approve, even stepped up", async () => {
    const s = await scene();
    expect(await codeOf(s.asAdmin.provisioning.save(scimSettingsInput(s.applicationId)))).toBe("FORBIDDEN");
    expect(await codeOf(s.asAdmin.provisioning.approve({ applicationId: s.applicationId }))).toBe("FORBIDDEN");
    expect(await codeOf(s.asAdmin.provisioning.overview({ applicationId: s.applicationId }))).toBe("OK");
    expect((await db().applicationScimSettings.findUniqueOrThrow({ where: { applicationId: BigInt(s.applicationId) } })).enabled).toBe(false);
  });

  it("another organisation's application is unknown to every procedure", async () => {
    const s = await scene();
    const other = await connectedApplication((await createTenant()).id, { deadLetter: false });
    for (const path of ADDED.filter((name) => name !== "provisioning.memberAccounts")) {
      const input =
        path === "provisioning.save" ? scimSettingsInput(other.applicationId)
        : path === "provisioning.retryDeadLetter" ? { applicationId: other.applicationId, deadLetterId: "1" }
        : path === "provisioning.reconciliationReport" ? { applicationId: other.applicationId, reconciliationId: "1" }
        : { applicationId: other.applicationId };
      expect(await codeOf(procedureOf(s.asOwner, path)(input)), path).toBe("NOT_FOUND");
    }
    const stranger = await createSignedInMember((await createTenant()).id);
    expect(await codeOf(s.asOwner.provisioning.memberAccounts({ memberId: stranger.member.id.toString() }))).toBe("NOT_FOUND");
    expect((await db().applicationScimSettings.findUniqueOrThrow({ where: { applicationId: BigInt(other.applicationId) } })).baseUrl).toBe("http://127.0.0.1:9/scim/v2");
  });

  it("refuses malformed and huge input before any work", async () => {
    const s = await scene();
    const bad = [
      { applicationId: "1 OR 1=1" },
      { applicationId: "99999999999999999999" },
      { ...scimSettingsInput(s.applicationId), token: "x".repeat(5000) },
      { ...scimSettingsInput(s.applicationId), baseUrl: "y".repeat(200_000) },
      { ...scimSettingsInput(s.applicationId), deprovisionMode: "explode" },
      { ...scimSettingsInput(s.applicationId), attributeMapping: { password: true } },
      { ...scimSettingsInput(s.applicationId), extra: 1 },
      { ...scimSettingsInput(s.applicationId), baseUrl: "https://app.example.test/\u0000scim" },
    ];
    for (const input of bad) expect(await codeOf(s.asOwner.provisioning.save(input as never)), JSON.stringify(input).slice(0, 80)).toBe("BAD_REQUEST");
  });

  it("refuses SSRF-ish endpoints: plain http off this machine, metadata and link-local addresses, credentials in the URL, other schemes", async () => {
    const s = await scene();
    const refused = [
      "http://app.example.test/scim/v2",
      "http://10.0.0.5/scim",
      "https://169.254.169.254/latest/meta-data",
      "https://[fe80::1]/scim",
      "https://0.0.0.0/scim",
      "https://user:pass@app.example.test/scim",
      "file:///etc/passwd",
      "gopher://127.0.0.1:25/",
      "https://app.example.test/scim#fragment",
    ];
    for (const baseUrl of refused) {
      expect(scimBaseUrlProblem(baseUrl), baseUrl).not.toBeNull();
      expect(await codeOf(s.asOwner.provisioning.save({ ...scimSettingsInput(s.applicationId), baseUrl })), baseUrl).toBe("BAD_REQUEST");
    }
    for (const allowed of ["https://app.example.test/scim/v2", "http://127.0.0.1:8080/scim", "http://localhost/scim", "http://[::1]:9/scim"]) {
      expect(scimBaseUrlProblem(allowed), allowed).toBeNull();
    }
  });

  it("never returns the token, and Test connection reads the peer's ServiceProviderConfig, rate-limited per organisation", async () => {
    const s = await scene();
    await s.asOwner.provisioning.save({ applicationId: s.applicationId, baseUrl: peer.url, token: peer.token, deprovisionMode: "deactivate" });
    expect(JSON.stringify(await s.asAdmin.provisioning.overview({ applicationId: s.applicationId }))).not.toContain(peer.token);
    const { sealedToken } = await db().applicationScimSettings.findUniqueOrThrow({ where: { applicationId: BigInt(s.applicationId) } });
    expect(sealedToken).not.toContain(peer.token);
    expect(await s.asAdmin.provisioning.testConnection({ applicationId: s.applicationId })).toMatchObject({ ok: true, patch: true, filter: true });

    // An empty token keeps the stored one; a wrong one is reported, not thrown.
    await s.asOwner.provisioning.save({ applicationId: s.applicationId, baseUrl: peer.url, token: "wrong", deprovisionMode: "deactivate" });
    expect(await s.asAdmin.provisioning.testConnection({ applicationId: s.applicationId })).toMatchObject({ ok: false });

    const burst = await Promise.all(Array.from({ length: SCIM_PROBE_LIMIT.capacity + 5 }, () => codeOf(s.asAdmin.provisioning.testConnection({ applicationId: s.applicationId }))));
    expect(burst.filter((code) => code === "CONFLICT").length).toBeGreaterThanOrEqual(5);
  });
});

// Session 10 added one input to provisioning.save: the application's own rate limit (rateLimitPerSecond).
describe("the application's rate limit as an attacker sets it", () => {
  const storedLimit = async (applicationId: string) =>
    (await db().applicationScimSettings.findUniqueOrThrow({ where: { applicationId: BigInt(applicationId) } })).rateLimitPerSecond;
  const withLimit = (applicationId: string, rateLimitPerSecond: unknown) => ({ ...scimSettingsInput(applicationId), rateLimitPerSecond });

  it("only an owner of the organisation changes it: anonymous, member, plain admin and another organisation's owner change nothing", async () => {
    const s = await scene();
    const stranger = await scene();
    expect(await codeOf(s.asAnonymous.provisioning.save(withLimit(s.applicationId, 1000) as never))).toBe("UNAUTHORIZED");
    expect(await codeOf(s.asMember.provisioning.save(withLimit(s.applicationId, 1000) as never))).toBe("FORBIDDEN");
    expect(await codeOf(s.asAdmin.provisioning.save(withLimit(s.applicationId, 1000) as never))).toBe("FORBIDDEN");
    expect(await codeOf(stranger.asOwner.provisioning.save(withLimit(s.applicationId, 1000) as never))).toBe("NOT_FOUND");
    expect(await storedLimit(s.applicationId)).toBe(200);
    expect(await codeOf(s.asOwner.provisioning.save(withLimit(s.applicationId, 1000) as never))).toBe("OK");
    expect(await storedLimit(s.applicationId)).toBe(1000);
    // The other organisation's application keeps its own.
    expect(await storedLimit(stranger.applicationId)).toBe(200);
  });

  it("refuses every value but a whole number from 1 to 1,000 (strings, NUL, 1 MB, huge, negative, fractions, Infinity), changing nothing", async () => {
    const s = await scene();
    const bad = ["200", "\u0000", "\u0000200", "9".repeat(1_000_000), 1e308, -1, 0, 1001, 2.5, Number.POSITIVE_INFINITY, Number.NaN, null, true, [200], { value: 200 }];
    for (const value of bad) {
      expect(await codeOf(s.asOwner.provisioning.save(withLimit(s.applicationId, value) as never)), JSON.stringify(value)?.slice(0, 20) ?? String(value as number)).toBe("BAD_REQUEST");
    }
    expect(await storedLimit(s.applicationId)).toBe(200);
    expect(await db().auditEvent.count({ where: { tenantId: s.tenant.id, action: "application.provisioning_updated" } })).toBe(0);
  });

  it("50 parallel saves of different limits: each answered, one of them stored whole, one trail entry per save", async () => {
    const s = await scene();
    const limits = Array.from({ length: 50 }, (_, index) => index + 1);
    const codes = await Promise.all(limits.map((limit) => codeOf(s.asOwner.provisioning.save(withLimit(s.applicationId, limit) as never))));
    expect(codes.every((code) => code === "OK")).toBe(true);
    expect(limits).toContain(await storedLimit(s.applicationId));
    expect(await db().auditEvent.count({ where: { tenantId: s.tenant.id, action: "application.provisioning_updated" } })).toBe(50);
  });

  it("over HTTP: a malformed cookie is a signed-out caller, and a 1 MB or NUL limit from an owner is a 400 that stores nothing", async () => {
    const s = await scene();
    const save = async (cookie: string, rateLimitPerSecond: unknown) =>
      trpcPost(
        new Request("http://localhost:3000/api/trpc/provisioning.save", {
          method: "POST",
          headers: { "content-type": "application/json", cookie },
          body: JSON.stringify({ json: withLimit(s.applicationId, rateLimitPerSecond) }),
        }),
      );
    const owner = await sessionCookieFor(s.owner.sessionId);
    expect((await save("x=%E0%A4%A; =%", 1000)).status).toBe(401);
    expect((await save(`x=%; ${owner}`, "9".repeat(1_000_000))).status).toBe(400);
    expect((await save(owner, "\u0000")).status).toBe(400);
    expect(await storedLimit(s.applicationId)).toBe(200);
    expect((await save(`${owner}; y=%zz`, 10)).status).toBe(200);
    expect(await storedLimit(s.applicationId)).toBe(10);
  });
});

describe("the sync jobs' turns under an application's own limit", () => {
  /** A turn as the sync job takes it: the capacity read from the application's settings in the same statement. */
  const takeTurn = (applicationId: string, now = new Date()) =>
    db().$queryRaw<{ tokens: number }[]>(
      reserveTokenSql(
        `scim:${applicationId}`,
        { capacity: Prisma.sql`coalesce((SELECT rate_limit_per_second FROM application_scim_settings WHERE application_id = ${BigInt(applicationId)}), 200)`, perSeconds: 1 },
        2,
        now,
      ),
    );

  it("50 parallel turns at 5 a second: 5 at once, 10 more in debt (2 s), the other 35 refused; another organisation's application is untouched", async () => {
    const s = await scene();
    const other = await scene();
    await db().applicationScimSettings.update({ where: { applicationId: BigInt(s.applicationId) }, data: { rateLimitPerSecond: 5 } });
    // One instant for all 50, as a burst within a millisecond would be: no refill between them.
    const now = new Date();
    const turns = await Promise.all(Array.from({ length: 50 }, () => takeTurn(s.applicationId, now)));
    const granted = turns.flatMap((rows) => rows.map((row) => row.tokens));
    expect(granted.filter((tokens) => tokens >= 0)).toHaveLength(5);
    expect(granted.filter((tokens) => tokens < 0)).toHaveLength(10);
    expect(Math.min(...granted)).toBeGreaterThanOrEqual(-10);
    // The other organisation's application has its own bucket, full.
    const [first] = await takeTurn(other.applicationId);
    expect(first?.tokens).toBe(199);
  });
});
