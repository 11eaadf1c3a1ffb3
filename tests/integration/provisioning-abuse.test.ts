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
