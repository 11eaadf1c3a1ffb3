import { describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { hashClientSecret, CLIENT_SECRET_PREFIX } from "@/server/oidc/client-secret-hash";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { createOidcApplication, createProviderSession, providerRowsOf } from "../support/oidc-sessions";
import { signInSettingsInput } from "../support/application-sign-in";

// Issue 14 item 2 through the API: an application's sign-in settings, its
// secrets (shown once, stored hashed, rotated with overlap) and the signing
// keys' console, read by an owner, a plain admin, a member, a stranger and
// another organisation, with bursts and hostile input.

const SIGN_IN_PATHS = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).filter((path) => /^(applicationSignIn|signingKeys)\./.test(path));

type TCallable = (input: unknown) => Promise<unknown>;
const procedureOf = (caller: unknown, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as TCallable;
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: { code?: string }) => error.code ?? "THREW");
const HOUR = 60 * 60 * 1000;

async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  const member = await createSignedInMember(tenant.id);
  const caller = async (sessionId: string | null) => createCaller(await createContextForSessionId(sessionId));
  const application = await createCatalogItem(db(), { tenantId: tenant.id, memberId: owner.member.id }, { kind: "application", name: "Payroll" });
  return {
    tenant,
    owner,
    application,
    applicationId: application.id.toString(),
    asOwner: await caller(owner.sessionId),
    asAdmin: await caller(admin.sessionId),
    asMember: await caller(member.sessionId),
    asAnonymous: await caller(null),
  };
}

/** Every column of every secret row, as text: what a copy of the database would show. */
async function storedSecretText(applicationId: bigint) {
  return JSON.stringify(await db().applicationClientSecret.findMany({ where: { applicationId } }), (_key, value: unknown) => (typeof value === "bigint" ? value.toString() : value));
}

describe("enabling an application's sign-in", () => {
  it("makes a client id and a first secret, shown once, stored only as its hash", async () => {
    const s = await scene();
    const enabled = await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    expect(enabled.clientId).toMatch(/^tnr_[A-Za-z0-9_-]{22}$/);
    expect(enabled.secret).toMatch(new RegExp(`^${CLIENT_SECRET_PREFIX}[A-Za-z0-9_-]{43}$`));
    const secret = enabled.secret!;

    const rows = await db().applicationClientSecret.findMany({ where: { applicationId: s.application.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ secretHash: hashClientSecret(secret), hint: secret.slice(-4), expiresAt: null, createdBy: s.owner.member.id });
    expect(await storedSecretText(s.application.id)).not.toContain(secret.slice(CLIENT_SECRET_PREFIX.length, -4));

    // The reading never carries the secret nor its hash: hints and expiries only.
    const view = await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId });
    const text = JSON.stringify(view);
    expect(text).not.toContain(secret.slice(0, -4));
    expect(text).not.toContain(rows[0]!.secretHash);
    expect(view).toMatchObject({
      enabled: true,
      clientId: enabled.clientId,
      issuer: `http://localhost:3000/oidc/${s.tenant.slug}`,
      discoveryUrl: `http://localhost:3000/oidc/${s.tenant.slug}/.well-known/openid-configuration`,
      settings: { clientType: "confidential", redirectUris: ["https://app.example.test/callback"], claimSets: ["profile", "email"], firstParty: true },
    });
    expect(view.secrets).toEqual([expect.objectContaining({ hint: secret.slice(-4), current: true, expiresAt: null })]);

    // The trail says it happened, with the hint, never the secret.
    const events = await db().auditEvent.findMany({ where: { tenantId: s.tenant.id, action: "application.sign_in_enabled" } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.changes)).toContain(`…${secret.slice(-4)}`);
    expect(JSON.stringify(events[0]!.changes)).not.toContain(secret.slice(0, -4));

    // Enabling twice is a conflict, not a second client.
    expect(await codeOf(s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId, { expectedUpdatedAt: view.oidcUpdatedAt })))).toBe("CONFLICT");
  });

  it("gives a public client no secret (PKCE proves it), and client ids are unique", async () => {
    const s = await scene();
    const other = await s.asOwner.access.create({ kind: "application", name: "Mobile app" });
    const first = await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId, { clientType: "public" }));
    const second = await s.asOwner.applicationSignIn.enable(signInSettingsInput(other.id, { clientType: "public" }));
    expect(first.secret).toBeNull();
    expect(first.clientId).not.toBe(second.clientId);
    expect(await db().applicationClientSecret.count({ where: { tenantId: s.tenant.id } })).toBe(0);
    expect(await codeOf(s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId }))).toBe("PRECONDITION_FAILED");
  });

  it("disabling clears the client id and the secrets and keeps the settings; enabling again gives a new client id", async () => {
    const s = await scene();
    const first = await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId, { redirectUris: ["http://127.0.0.1:4000/cb"] }));
    await s.asOwner.applicationSignIn.disable({ applicationId: s.applicationId });
    const view = await s.asAdmin.applicationSignIn.get({ applicationId: s.applicationId });
    expect(view).toMatchObject({ enabled: false, clientId: null, secrets: [], settings: { redirectUris: ["http://127.0.0.1:4000/cb"] } });
    expect(await db().applicationClientSecret.count({ where: { applicationId: s.application.id } })).toBe(0);
    const again = await s.asOwner.applicationSignIn.enable({ ...signInSettingsInput(s.applicationId), expectedUpdatedAt: view.oidcUpdatedAt });
    expect(again.clientId).not.toBe(first.clientId);
    expect(again.secret).not.toBe(first.secret);
  });
});

describe("disabling an application's sign-in, with members signed in to it", () => {
  it("revokes their tokens and provider sessions there (and only there) in the same transaction", async () => {
    const s = await scene();
    const { clientId } = await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const other = await createOidcApplication(s.tenant.id, { name: "Wiki" });
    const stranger = await createTenant();
    const strangerMember = await createMember(stranger.id);
    const strangerApp = await createOidcApplication(stranger.id);
    await createProviderSession(s.tenant.id, s.owner.member.id, [{ id: s.application.id, oidcClientId: clientId }, other]);
    await createProviderSession(stranger.id, strangerMember.id, [strangerApp]);
    const strangerBefore = await providerRowsOf(strangerMember.id);

    await s.asOwner.applicationSignIn.disable({ applicationId: s.applicationId });

    const rows = await providerRowsOf(s.owner.member.id);
    expect(rows.filter((row) => row.clientId === clientId)).toEqual([]);
    expect(rows.filter((row) => row.clientId === other.oidcClientId).length).toBeGreaterThan(0);
    expect(rows.find((row) => row.model === "Session")?.clients).toEqual([other.oidcClientId]);
    expect(await providerRowsOf(strangerMember.id)).toEqual(strangerBefore);
  });
});

describe("changing the settings", () => {
  it("saves exact URIs, lifetimes and claims; a stale form is a conflict, not an overwrite", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const opened = (await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).oidcUpdatedAt;
    await s.asOwner.applicationSignIn.update(
      signInSettingsInput(s.applicationId, {
        expectedUpdatedAt: opened,
        redirectUris: "https://app.example.test/a\n\n  https://app.example.test/b \nhttps://app.example.test/a",
        claimSets: ["roles", "profile", "roles"],
        accessTokenTtlSeconds: 3600,
        refreshTokenTtlSeconds: 7_776_000,
        firstParty: false,
      }),
    );
    const view = await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId });
    expect(view.settings).toMatchObject({
      redirectUris: ["https://app.example.test/a", "https://app.example.test/b"],
      claimSets: ["profile", "roles"],
      accessTokenTtlSeconds: 3600,
      refreshTokenTtlSeconds: 7_776_000,
      firstParty: false,
    });
    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantId: s.tenant.id, action: "application.sign_in_updated" } });
    expect(Object.keys(event.changes as object).sort()).toEqual(["accessTokenTtlSeconds", "claimSets", "firstParty", "redirectUris", "refreshTokenTtlSeconds"]);

    // A second tab opened before that save.
    const stale = s.asOwner.applicationSignIn.update(signInSettingsInput(s.applicationId, { expectedUpdatedAt: opened, redirectUris: ["https://evil.example.test/cb"] }));
    const refusal = await stale.then(() => null, (error: { code: string; message: string }) => error);
    expect(refusal?.code).toBe("CONFLICT");
    expect(refusal?.message).toContain("Reload");
    expect((await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).settings.redirectUris).not.toContain("https://evil.example.test/cb");
  });

  it("two saves of the same version at once: one wins, the other is told", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const opened = (await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).oidcUpdatedAt;
    const saves = await Promise.all(
      ["https://one.example.test/cb", "https://two.example.test/cb"].map((uri) =>
        codeOf(s.asOwner.applicationSignIn.update(signInSettingsInput(s.applicationId, { expectedUpdatedAt: opened, redirectUris: [uri] }))),
      ),
    );
    expect(saves.sort()).toEqual(["CONFLICT", "OK"]);
  });

  it("switching to public drops the secrets; back to confidential issues a new one, once", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    let version = (await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).oidcUpdatedAt;
    expect((await s.asOwner.applicationSignIn.update(signInSettingsInput(s.applicationId, { expectedUpdatedAt: version, clientType: "public" }))).secret).toBeNull();
    expect(await db().applicationClientSecret.count({ where: { applicationId: s.application.id } })).toBe(0);
    version = (await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).oidcUpdatedAt;
    const back = await s.asOwner.applicationSignIn.update(signInSettingsInput(s.applicationId, { expectedUpdatedAt: version, clientType: "confidential" }));
    expect(back.secret).toMatch(/^tnr_cs_/);
    expect((await db().applicationClientSecret.findFirstOrThrow({ where: { applicationId: s.application.id } })).secretHash).toBe(hashClientSecret(back.secret!));
  });
});

describe("rotating and revoking secrets", () => {
  it("the previous secret works until the chosen expiry (24 hours by default); an earlier one can be revoked at once, the current one cannot", async () => {
    const s = await scene();
    const { secret: first } = await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const before = Date.now();
    const rotated = await s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId });
    expect(rotated.secret).not.toBe(first);
    expect(rotated.previousValidUntil.getTime()).toBeGreaterThanOrEqual(before + 24 * HOUR - 1000);
    expect(rotated.previousValidUntil.getTime()).toBeLessThanOrEqual(Date.now() + 24 * HOUR);

    const view = await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId });
    expect(view.secrets.map((secret) => [secret.hint, secret.current])).toEqual([
      [rotated.secret.slice(-4), true],
      [first!.slice(-4), false],
    ]);
    const stored = await db().applicationClientSecret.findMany({ where: { applicationId: s.application.id }, orderBy: { id: "asc" } });
    expect(stored.map((row) => row.secretHash)).toEqual([hashClientSecret(first!), hashClientSecret(rotated.secret)]);

    const current = view.secrets.find((secret) => secret.current)!;
    const previous = view.secrets.find((secret) => !secret.current)!;
    expect(await codeOf(s.asOwner.applicationSignIn.revokeSecret({ applicationId: s.applicationId, secretId: current.id }))).toBe("PRECONDITION_FAILED");
    await s.asOwner.applicationSignIn.revokeSecret({ applicationId: s.applicationId, secretId: previous.id });
    expect((await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).secrets.map((secret) => secret.hint)).toEqual([rotated.secret.slice(-4)]);
    expect(await codeOf(s.asOwner.applicationSignIn.revokeSecret({ applicationId: s.applicationId, secretId: previous.id }))).toBe("NOT_FOUND");
    const actions = (await db().auditEvent.findMany({ where: { tenantId: s.tenant.id }, select: { action: true } })).map((event) => event.action);
    expect(actions).toEqual(expect.arrayContaining(["application.client_secret_rotated", "application.client_secret_revoked"]));
  });

  it("\"stop now\" cuts every earlier secret off; at most 30 days of overlap", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    await s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId, previousSecretValidForHours: 720 });
    const last = await s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId, previousSecretValidForHours: 0 });
    const view = await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId });
    expect(view.secrets.map((secret) => secret.hint)).toEqual([last.secret.slice(-4)]);
    expect(await codeOf(s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId, previousSecretValidForHours: 721 }))).toBe("BAD_REQUEST");
    expect(await codeOf(s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId, previousSecretValidForHours: -1 }))).toBe("BAD_REQUEST");
  });

  it("a burst of rotations with overlap: the current secret and at most two earlier ones remain; each new secret was returned to one caller", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const outcomes = await Promise.all(
      Array.from({ length: 8 }, () =>
        s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId }).then(
          (result) => ({ ok: true as const, secret: result.secret }),
          (error: { code: string }) => ({ ok: false as const, code: error.code }),
        ),
      ),
    );
    const issued = outcomes.flatMap((outcome) => (outcome.ok ? [outcome.secret] : []));
    expect(issued).toHaveLength(2);
    expect(outcomes.filter((outcome) => !outcome.ok).map((outcome) => (outcome.ok ? "" : outcome.code))).toEqual(Array(6).fill("CONFLICT"));
    const rows = await db().applicationClientSecret.findMany({ where: { applicationId: s.application.id } });
    expect(rows).toHaveLength(3);
    expect(rows.filter((row) => row.expiresAt === null)).toHaveLength(1);
    expect(rows.map((row) => row.secretHash)).toEqual(expect.arrayContaining(issued.map(hashClientSecret)));
  });

  it("a burst of \"stop now\" rotations leaves exactly one working secret, the last one issued", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const results = await Promise.all(Array.from({ length: 6 }, () => s.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId, previousSecretValidForHours: 0 })));
    const now = new Date();
    const working = await db().applicationClientSecret.findMany({ where: { applicationId: s.application.id, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] } });
    expect(working).toHaveLength(1);
    expect(results.map((result) => hashClientSecret(result.secret))).toContain(working[0]!.secretHash);
  });
});

describe("the sign-in procedures against callers without the right", () => {
  it("lists the added procedures (the checks below are not vacuous)", () => {
    expect(SIGN_IN_PATHS.sort()).toEqual([
      "applicationSignIn.disable",
      "applicationSignIn.enable",
      "applicationSignIn.get",
      "applicationSignIn.revokeSecret",
      "applicationSignIn.rotateSecret",
      "applicationSignIn.update",
      "signingKeys.list",
      "signingKeys.rotate",
    ]);
  });

  it("answer an anonymous caller UNAUTHORIZED and a plain member FORBIDDEN, whatever the input", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const before = await storedSecretText(s.application.id);
    for (const path of SIGN_IN_PATHS) {
      for (const input of [undefined, { applicationId: s.applicationId }, signInSettingsInput(s.applicationId)]) {
        expect(await codeOf(procedureOf(s.asAnonymous, path)(input)), `${path} anonymous`).toBe("UNAUTHORIZED");
        expect(await codeOf(procedureOf(s.asMember, path)(input)), `${path} member`).toBe("FORBIDDEN");
      }
    }
    expect(await storedSecretText(s.application.id)).toBe(before);
  });

  it("a plain admin reads the settings and the keys, but changes nothing: owners only", async () => {
    const s = await scene();
    const enabled = await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const view = await s.asAdmin.applicationSignIn.get({ applicationId: s.applicationId });
    expect(view.clientId).toBe(enabled.clientId);
    expect((await s.asAdmin.signingKeys.list()).map((key) => key.status).slice(0, 2)).toEqual(["current", "next"]);
    const other = await s.asOwner.access.create({ kind: "application", name: "Wiki" });
    const refusals = await Promise.all([
      codeOf(s.asAdmin.applicationSignIn.enable(signInSettingsInput(other.id))),
      codeOf(s.asAdmin.applicationSignIn.update(signInSettingsInput(s.applicationId, { expectedUpdatedAt: view.oidcUpdatedAt, redirectUris: ["https://evil.example.test/cb"] }))),
      codeOf(s.asAdmin.applicationSignIn.update(signInSettingsInput(s.applicationId, { expectedUpdatedAt: view.oidcUpdatedAt, accessTokenTtlSeconds: 900 }))),
      codeOf(s.asAdmin.applicationSignIn.rotateSecret({ applicationId: s.applicationId })),
      codeOf(s.asAdmin.applicationSignIn.revokeSecret({ applicationId: s.applicationId, secretId: view.secrets[0]!.id })),
      codeOf(s.asAdmin.applicationSignIn.disable({ applicationId: s.applicationId })),
      codeOf(s.asAdmin.signingKeys.rotate()),
    ]);
    expect(refusals).toEqual(Array(7).fill("FORBIDDEN"));
    expect(await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).toEqual(view);
  });

  it("another organisation's application is not found, for reading and for every change", async () => {
    const s = await scene();
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId));
    const view = await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId });
    const stranger = await scene();
    const refusals = await Promise.all([
      codeOf(stranger.asOwner.applicationSignIn.get({ applicationId: s.applicationId })),
      codeOf(stranger.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId))),
      codeOf(stranger.asOwner.applicationSignIn.update(signInSettingsInput(s.applicationId, { expectedUpdatedAt: view.oidcUpdatedAt }))),
      codeOf(stranger.asOwner.applicationSignIn.rotateSecret({ applicationId: s.applicationId })),
      codeOf(stranger.asOwner.applicationSignIn.revokeSecret({ applicationId: s.applicationId, secretId: view.secrets[0]!.id })),
      codeOf(stranger.asOwner.applicationSignIn.disable({ applicationId: s.applicationId })),
      // Its own application with the first one's secret id: still not found.
      codeOf(stranger.asOwner.applicationSignIn.revokeSecret({ applicationId: stranger.applicationId, secretId: view.secrets[0]!.id })),
    ]);
    expect(refusals).toEqual(Array(7).fill("NOT_FOUND"));
    expect(await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).toEqual(view);
  });
});

describe("hostile and malformed settings", () => {
  const refusedUris: [string, string][] = [
    ["a 10,000-character URI", `https://app.example.test/${"a".repeat(10_000)}`],
    ["javascript:", "javascript:alert(document.cookie)"],
    ["data:", "data:text/html,<script>alert(1)</script>"],
    ["a wildcard", "https://*.example.test/callback"],
    ["a fragment", "https://app.example.test/callback#token"],
    ["plain http to another host", "http://app.example.test/callback"],
    ["a relative path", "/callback"],
    ["credentials", "https://user:pass@app.example.test/callback"],
    ["a NUL byte", "https://app.example.test/\u0000callback"],
    ["a space", "https://app.example.test/call back"],
  ];

  it.each(refusedUris)("refuses %s as a redirect, post-logout or back-channel URI, with a field error", async (_name, uri) => {
    const s = await scene();
    for (const field of ["redirectUris", "postLogoutRedirectUris", "backchannelLogoutUri"] as const) {
      const input = signInSettingsInput(s.applicationId, { [field]: field === "backchannelLogoutUri" ? uri : [uri] });
      const error = await s.asOwner.applicationSignIn.enable(input).then(
        () => null,
        (caught: { code: string; cause?: unknown }) => caught,
      );
      expect(error?.code, `${field}: ${uri.slice(0, 40)}`).toBe("BAD_REQUEST");
      // The form shows the message under the field: the error names that field only.
      expect(error?.cause).toBeInstanceOf(ZodError);
      expect(Object.keys(z.flattenError(error!.cause as ZodError).fieldErrors)).toEqual([field]);
    }
    expect((await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).enabled).toBe(false);
  });

  it("accepts https and loopback http, and refuses more than 10 addresses, none at all, and lifetimes beyond the caps", async () => {
    const s = await scene();
    const loopback = ["http://localhost:3000/cb", "http://127.0.0.1:8080/cb", "http://[::1]:9000/cb", "https://app.example.test/cb?x=1"];
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(s.applicationId, { redirectUris: loopback }));
    expect((await s.asOwner.applicationSignIn.get({ applicationId: s.applicationId })).settings.redirectUris).toEqual(loopback);

    const other = await s.asOwner.access.create({ kind: "application", name: "Refused" });
    const eleven = Array.from({ length: 11 }, (_, index) => `https://app.example.test/cb${index}`);
    const refused = [
      { redirectUris: eleven },
      { redirectUris: [] },
      { redirectUris: Array(5000).fill("https://app.example.test/cb") },
      { accessTokenTtlSeconds: 3601 },
      { idTokenTtlSeconds: 59 },
      { refreshTokenTtlSeconds: 7_776_001 },
      { accessTokenTtlSeconds: 1.5 },
      { claimSets: ["profile", "address"] },
      { clientType: "private" },
    ];
    for (const overrides of refused) {
      expect(await codeOf(s.asOwner.applicationSignIn.enable(signInSettingsInput(other.id, overrides as never))), JSON.stringify(overrides).slice(0, 80)).toBe("BAD_REQUEST");
    }
    // Repeats collapse before the count: ten distinct addresses written twice are ten.
    const twice = [...eleven.slice(0, 10), ...eleven.slice(0, 10)];
    await s.asOwner.applicationSignIn.enable(signInSettingsInput(other.id, { redirectUris: twice }));
    expect((await s.asOwner.applicationSignIn.get({ applicationId: other.id })).settings.redirectUris).toHaveLength(10);
  });

  it("refuses malformed ids and unknown fields", async () => {
    const s = await scene();
    for (const applicationId of ["", "abc", "1e3", "-1", "99999999999999999999", "1; DROP TABLE applications"]) {
      expect(await codeOf(s.asOwner.applicationSignIn.get({ applicationId })), applicationId).toBe("BAD_REQUEST");
    }
    expect(await codeOf(s.asOwner.applicationSignIn.get({ applicationId: "9223372036854775807" }))).toBe("NOT_FOUND");
    expect(await codeOf(s.asOwner.applicationSignIn.enable({ ...signInSettingsInput(s.applicationId), oidcClientId: "chosen" } as never))).toBe("BAD_REQUEST");
    expect(await codeOf(s.asOwner.signingKeys.rotate({ kid: "x" } as never))).toBe("BAD_REQUEST");
  });
});

describe("the signing keys' console", () => {
  it("lists kid, status and dates, never key material; an owner's rotation makes the next key current and is recorded", async () => {
    const s = await scene();
    const before = await s.asOwner.signingKeys.list();
    const text = JSON.stringify(before);
    for (const secretField of ['"d"', '"p"', '"q"', "privateJwk", "sealed", '"n"']) expect(text).not.toContain(secretField);
    const [current, next] = before;
    expect(current).toMatchObject({ status: "current", alg: "RS256" });
    expect(next).toMatchObject({ status: "next", activatedAt: null });

    const rotated = await s.asOwner.signingKeys.rotate();
    expect(rotated).toEqual({ activatedKid: next!.kid, retiredKid: current!.kid });
    const after = await s.asOwner.signingKeys.list();
    expect(after.slice(0, 3).map((key) => [key.kid === next!.kid || key.kid === current!.kid ? key.kid : "new", key.status])).toEqual([
      [next!.kid, "current"],
      ["new", "next"],
      [current!.kid, "retired"],
    ]);
    expect(after[2]!.publishedUntil!.getTime() - after[2]!.retiredAt!.getTime()).toBe(24 * HOUR);
    const event = await db().auditEvent.findFirstOrThrow({ where: { tenantId: s.tenant.id, action: "oidc.signing_keys_rotated" } });
    expect(event.changes).toEqual({ signingKey: { before: current!.kid, after: next!.kid } });
  });

  it("parallel rotations leave exactly one current and one next key", async () => {
    const s = await scene();
    await Promise.all(Array.from({ length: 4 }, () => s.asOwner.signingKeys.rotate()));
    const keys = await db().oidcSigningKey.findMany({ where: { status: { in: ["current", "next"] } } });
    expect(keys.map((key) => key.status).sort()).toEqual(["current", "next"]);
  });
});
