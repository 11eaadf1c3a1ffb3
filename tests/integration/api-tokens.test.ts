import { describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { db } from "@/server/db/client";
import { StepUpRequiredError } from "@/server/auth/step-up";
import { DomainError } from "@/server/errors";
import { recordAuditEvent } from "@/server/audit/record-audit-event";
import { auditEventsPage } from "@/server/audit/list-audit-events";
import { API_TOKEN_RATE_LIMIT, ApiTokenRefusedError, authenticateApiToken, bearerToken } from "@/server/api-tokens/authenticate-api-token";
import { MAX_LIVE_TOKENS } from "@/server/api-tokens/manage-api-tokens";
import { secretHash } from "@/server/shared/random-secret";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant } from "../support/factories";

// Issue 16, item 1: API tokens. Owners (stepped up) create them, shown once and
// stored hashed; any admin revokes; a revoked or expired token is refused on
// its next request; scopes and a per-token rate limit hold; what a token does
// is attributed to it.

const client = { ipAddress: "198.51.100.61", userAgent: "vitest" };
const SIX_MINUTES = 6 * 60 * 1000;
const callerOf = async (sessionId: string) => createCaller(await createContextForSessionId(sessionId, client));
const refusalOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error);
const codeOf = async (promise: Promise<unknown>) => ((await refusalOf(promise)) as { code?: string } | null)?.code ?? null;
function fieldErrorsOf(error: unknown): Record<string, unknown> {
  const cause = (error as { cause?: unknown } | null)?.cause;
  if (cause instanceof ZodError) return z.flattenError(cause).fieldErrors;
  return cause instanceof DomainError ? cause.fieldErrors : {};
}

async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  const member = await createSignedInMember(tenant.id);
  return { tenant, owner: await callerOf(owner.sessionId), ownerSessionId: owner.sessionId, admin: await callerOf(admin.sessionId), member: await callerOf(member.sessionId) };
}

const json = (value: unknown) => JSON.stringify(value, (_key, inner: unknown) => (typeof inner === "bigint" ? inner.toString() : inner));
const request = (token: string, address = "203.0.113.9") => ({ authorization: `Bearer ${token}`, address, userAgent: "Entra provisioning" });
async function refusal(promise: Promise<unknown>) {
  const error = await refusalOf(promise);
  expect(error).toBeInstanceOf(ApiTokenRefusedError);
  return (error as ApiTokenRefusedError).refusal;
}

describe("API tokens", () => {
  it("are shown once, stored as a hash, and listed without any secret", async () => {
    const s = await scene();
    const created = await s.owner.apiTokens.create({ name: "Workday", scopes: ["scim"], expiresInDays: 365 });
    expect(created.token).toMatch(/^tnr_at_[A-Za-z0-9_-]{43}$/);
    const row = await db().apiToken.findUniqueOrThrow({ where: { id: BigInt(created.id) } });
    expect(row.tokenHash).toBe(secretHash(created.token));
    expect(json(row)).not.toContain(created.token);
    const listed = await s.admin.apiTokens.list();
    expect(listed).toEqual([expect.objectContaining({ id: created.id, name: "Workday", scopes: ["scim"], hint: created.token.slice(-4), status: "live" })]);
    expect(JSON.stringify(listed)).not.toContain(created.token);
    expect(JSON.stringify(listed)).not.toContain(row.tokenHash);
    const expiresInDays = (row.expiresAt.getTime() - row.createdAt.getTime()) / 86_400_000;
    expect(expiresInDays).toBe(365);
    const events = await db().auditEvent.findMany({ where: { tenantId: s.tenant.id, targetType: "api_token" } });
    expect(events.map((event) => event.action)).toEqual(["api_token.created"]);
    expect(json(events)).not.toContain(created.token);
  });

  it("authenticate their organisation's calls, note when and from where, and refuse a revoked token on its next request", async () => {
    const s = await scene();
    const { token, id } = await s.owner.apiTokens.create({ name: "Okta", scopes: ["scim"], expiresInDays: 30 });
    const caller = await authenticateApiToken(db(), request(token), "scim");
    expect(caller).toMatchObject({ tenantId: s.tenant.id, name: "Okta", scopes: ["scim"], actor: { tenantId: s.tenant.id, memberId: null, apiTokenId: BigInt(id) } });
    const used = await db().apiToken.findUniqueOrThrow({ where: { id: BigInt(id) } });
    expect(used.lastUsedAddress).toBe("203.0.113.9");
    expect(used.lastUsedAt).not.toBeNull();

    // Attributed: the trail names the token.
    await recordAuditEvent(db(), caller.actor, { action: "member.updated", targetType: "member", targetId: 1n, changes: { title: { before: null, after: "x" } } });
    const trail = await auditEventsPage(db(), s.tenant.id, { limit: 5, action: "member.updated" });
    expect(trail.items[0]!.actorName).toBe("API token Okta");

    expect(await s.admin.apiTokens.revoke({ tokenId: id })).toEqual({ revoked: true });
    expect(await refusal(authenticateApiToken(db(), request(token), "scim"))).toMatchObject({ status: 401, reason: "revoked" });
    expect(await s.admin.apiTokens.revoke({ tokenId: id })).toEqual({ revoked: false });
    expect((await s.admin.apiTokens.list())[0]!.status).toBe("revoked");
  });

  it("refuse a missing, malformed, unknown or expired token, and a scope the token does not carry", async () => {
    const s = await scene();
    const { token, id } = await s.owner.apiTokens.create({ name: "Reader", scopes: ["directory:read"], expiresInDays: 1 });
    expect(await refusal(authenticateApiToken(db(), { authorization: null, address: null }, "scim"))).toMatchObject({ status: 401, reason: "missing" });
    expect(await refusal(authenticateApiToken(db(), { authorization: `Basic ${token}`, address: null }, "scim"))).toMatchObject({ status: 401, reason: "missing" });
    expect(await refusal(authenticateApiToken(db(), { authorization: `Bearer ${"x".repeat(100_000)}`, address: null }, "scim"))).toMatchObject({ status: 401, reason: "missing" });
    expect(await refusal(authenticateApiToken(db(), request(`${token}x`), "scim"))).toMatchObject({ status: 401, reason: "unknown" });
    expect(await refusal(authenticateApiToken(db(), request(token), "scim"))).toMatchObject({ status: 403, reason: "scope" });
    const later = new Date(Date.now() + 2 * 86_400_000);
    expect(await refusal(authenticateApiToken(db(), request(token), "directory:read", later))).toMatchObject({ status: 401, reason: "expired" });
    expect((await s.admin.apiTokens.list()).find((row) => row.id === id)?.status).toBe("live");
    expect(bearerToken("bearer   abc")).toBe("abc");
  });

  it("limit each token's rate, however many requests arrive at once", async () => {
    const s = await scene();
    const [a, b] = [await s.owner.apiTokens.create({ name: "A", scopes: ["scim"], expiresInDays: 30 }), await s.owner.apiTokens.create({ name: "B", scopes: ["scim"], expiresInDays: 30 })];
    const now = new Date();
    const burst = await Promise.allSettled(Array.from({ length: API_TOKEN_RATE_LIMIT.capacity + 20 }, () => authenticateApiToken(db(), request(a.token), "scim", now)));
    expect(burst.filter((result) => result.status === "fulfilled")).toHaveLength(API_TOKEN_RATE_LIMIT.capacity);
    const limited = burst.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect((limited.reason as ApiTokenRefusedError).refusal).toMatchObject({ status: 429, retryAfterSeconds: 1 });
    // Another token of the same organisation is not slowed down.
    await expect(authenticateApiToken(db(), request(b.token), "scim", now)).resolves.toMatchObject({ name: "B" });
  });

  it("may be created only by a stepped-up owner; a plain member can do nothing with them", async () => {
    const s = await scene();
    const input = { name: "HR", scopes: ["scim" as const], expiresInDays: 30 };
    expect(await codeOf(s.admin.apiTokens.create(input))).toBe("FORBIDDEN");
    expect(await codeOf(s.member.apiTokens.create(input))).toBe("FORBIDDEN");
    expect(await codeOf(s.member.apiTokens.list())).toBe("FORBIDDEN");
    const { id } = await s.owner.apiTokens.create(input);
    expect(await codeOf(s.member.apiTokens.revoke({ tokenId: id }))).toBe("FORBIDDEN");
    await db().session.update({ where: { id: s.ownerSessionId }, data: { steppedUpAt: new Date(Date.now() - SIX_MINUTES) } });
    const stale = await refusalOf(s.owner.apiTokens.create({ ...input, name: "HR 2" }));
    expect(stale).toMatchObject({ code: "FORBIDDEN" });
    expect((stale as { cause?: unknown }).cause).toBeInstanceOf(StepUpRequiredError);
    expect(await db().apiToken.count({ where: { tenantId: s.tenant.id } })).toBe(1);
  });

  it("50 parallel revocations of one token revoke it once, with one audit event", async () => {
    const s = await scene();
    const { id } = await s.owner.apiTokens.create({ name: "Burst", scopes: ["scim"], expiresInDays: 30 });
    const results = await Promise.all(Array.from({ length: 50 }, () => s.admin.apiTokens.revoke({ tokenId: id })));
    expect(results.filter((result) => result.revoked)).toHaveLength(1);
    expect(await db().auditEvent.count({ where: { tenantId: s.tenant.id, action: "api_token.revoked" } })).toBe(1);
  });

  it("never reach into another organisation", async () => {
    const s = await scene();
    const other = await scene();
    const { id } = await other.owner.apiTokens.create({ name: "Theirs", scopes: ["scim"], expiresInDays: 30 });
    expect(await codeOf(s.owner.apiTokens.revoke({ tokenId: id }))).toBe("NOT_FOUND");
    expect(await s.owner.apiTokens.list()).toEqual([]);
    expect((await db().apiToken.findUniqueOrThrow({ where: { id: BigInt(id) } })).revokedAt).toBeNull();
  });

  it("refuse malformed input with field errors, a second live token of one name, and more than the cap", async () => {
    const s = await scene();
    for (const [input, field] of [
      [{ name: "", scopes: ["scim"], expiresInDays: 30 }, "name"],
      [{ name: "x".repeat(10_000), scopes: ["scim"], expiresInDays: 30 }, "name"],
      [{ name: "Nul\u0000", scopes: ["scim"], expiresInDays: 30 }, "name"],
      [{ name: "No scope", scopes: [], expiresInDays: 30 }, "scopes"],
      [{ name: "Bad scope", scopes: ["admin"], expiresInDays: 30 }, "scopes"],
      [{ name: "Forever", scopes: ["scim"], expiresInDays: 731 }, "expiresInDays"],
      [{ name: "Past", scopes: ["scim"], expiresInDays: 0 }, "expiresInDays"],
    ] as const) {
      expect(Object.keys(fieldErrorsOf(await refusalOf(s.owner.apiTokens.create(input as never))))).toEqual([field]);
    }
    const same = await Promise.allSettled(Array.from({ length: 4 }, () => s.owner.apiTokens.create({ name: "Entra", scopes: ["scim"], expiresInDays: 30 })));
    expect(same.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    expect(fieldErrorsOf((same.find((result) => result.status === "rejected") as PromiseRejectedResult).reason)).toEqual({ name: ["Another live token has this name"] });
    // A revoked token's name may be used again.
    const [entra] = await s.owner.apiTokens.list();
    await s.owner.apiTokens.revoke({ tokenId: entra!.id });
    await s.owner.apiTokens.create({ name: "entra", scopes: ["scim"], expiresInDays: 30 });

    await db().apiToken.createMany({
      data: Array.from({ length: MAX_LIVE_TOKENS - 1 }, (_, n) => ({ tenantId: s.tenant.id, name: `Bulk ${n}`, scopes: ["scim"], tokenHash: `bulk-${s.tenant.id}-${n}`, hint: "0000", expiresAt: new Date(Date.now() + 86_400_000) })),
    });
    expect(((await refusalOf(s.owner.apiTokens.create({ name: "One too many", scopes: ["scim"], expiresInDays: 30 }))) as Error).message).toContain(`At most ${MAX_LIVE_TOKENS} live API tokens`);
  });
});
