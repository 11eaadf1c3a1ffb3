import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers } from "@/server/access/grant-access";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { issuerUrl } from "@/server/oidc/issuer";
import { createContextForSessionId } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";
import { startLogoutReceiver } from "../support/logout-receiver";
import { createOidcApplication, createProviderSession, providerRowsOf } from "../support/oidc-sessions";

// Issue 14 item 5: an application's page lists its live sessions (from the
// provider's storage), its recent sign-ins and refusals, and its back-channel
// logouts, and lets an admin end one member's session there; /me lists the
// member's own applications and lets them end their own session. Read by a
// stranger, a plain member, a plain admin against an owner, another
// organisation, and in bursts.

const receivers: Awaited<ReturnType<typeof startLogoutReceiver>>[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
});

const PATHS = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).filter((path) => /^(applicationMembers|myApplications)\./.test(path));
type TCallable = (input: unknown) => Promise<unknown>;
const procedureOf = (caller: unknown, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as TCallable;
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: { code?: string }) => error.code ?? "THREW");
const caller = async (sessionId: string | null) => createCaller(await createContextForSessionId(sessionId));

/** An organisation with an owner and an admin, two sign-in applications (one with a back-channel receiver) and a helper for signed-in members. */
async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  // The owner arranges the scene (an admin may not grant an owner anything).
  const actor = { tenantId: tenant.id, memberId: owner.member.id, sysAdmin: owner.member.sysAdmin, sessionId: owner.sessionId };
  const receiver = await startLogoutReceiver(issuerUrl(tenant.slug));
  receivers.push(receiver);
  const payroll = await createOidcApplication(tenant.id, { name: "Payroll", backchannelLogoutUri: receiver.uriFor });
  const wiki = await createOidcApplication(tenant.id, { name: "Wiki" });
  /** A member holding the applications, with one provider session at all of them. */
  const memberAt = async (applications: (typeof payroll)[], options: { role?: "owner" | "member" } = {}) => {
    const signedIn = await createSignedInMember(tenant.id, { role: options.role ?? "member" });
    for (const application of applications) {
      await grantToMembers(db(), actor, { kind: "application", itemId: application.id.toString(), memberIds: [signedIn.member.id.toString()] });
    }
    const providerSession = applications.length > 0 ? await createProviderSession(tenant.id, signedIn.member.id, applications) : null;
    return { ...signedIn, providerSession, as: await caller(signedIn.sessionId) };
  };
  return { tenant, owner, admin, actor, receiver, payroll, wiki, memberAt, asOwner: await caller(owner.sessionId), asAdmin: await caller(admin.sessionId), asAnonymous: await caller(null) };
}

describe("an application's live sessions", () => {
  it("lists the members holding unexpired tokens of its client, a keyset page at a time, nobody else's", async () => {
    const s = await scene();
    const ada = await s.memberAt([s.payroll, s.wiki]);
    const grace = await s.memberAt([s.payroll]);
    const wikiOnly = await s.memberAt([s.wiki]);
    const expired = await s.memberAt([]);
    await createProviderSession(s.tenant.id, expired.member.id, [s.payroll], { expired: true });
    await db().applicationSignIn.create({ data: { tenantId: s.tenant.id, applicationId: s.payroll.id, userId: ada.member.id, outcome: "granted", reason: "holds_application" } });

    const first = await s.asAdmin.applicationMembers.liveSessions({ applicationId: s.payroll.id.toString(), limit: 1 });
    expect(first.items).toMatchObject([{ memberId: ada.member.id.toString(), memberName: ada.member.fullName, accessTokens: 1, refreshTokens: 1 }]);
    expect(first.items[0]!.lastSignInAt).toBeInstanceOf(Date);
    const second = await s.asAdmin.applicationMembers.liveSessions({ applicationId: s.payroll.id.toString(), limit: 1, cursor: first.nextCursor });
    expect(second.items.map((line) => line.memberId)).toEqual([grace.member.id.toString()]);
    // The expired session is not live: the list ends with Grace.
    expect(second.nextCursor).toBeNull();
    expect((await s.asAdmin.applicationMembers.liveSessions({ applicationId: s.wiki.id.toString() })).items.map((line) => line.memberId)).toEqual([ada.member.id, wikiOnly.member.id].map(String));

    // An application without sign-in has none; another organisation's admin finds no such application.
    const plain = await createCatalogItem(db(), s.actor, { kind: "application", name: "Plain" });
    expect(await s.asAdmin.applicationMembers.liveSessions({ applicationId: plain.id.toString() })).toEqual({ items: [], nextCursor: null });
    const other = await scene();
    expect(await codeOf(other.asAdmin.applicationMembers.liveSessions({ applicationId: s.payroll.id.toString() }))).toBe("NOT_FOUND");
  });
});

describe("an application's recent sign-ins", () => {
  it("lists sign-ins and refusals newest first, a keyset page at a time, never another organisation's", async () => {
    const s = await scene();
    const ada = await s.memberAt([s.payroll]);
    const stranger = await s.memberAt([]);
    const at = (secondsAgo: number) => new Date(Date.now() - secondsAgo * 1000);
    await db().applicationSignIn.createMany({
      data: [
        { tenantId: s.tenant.id, applicationId: s.payroll.id, userId: ada.member.id, outcome: "granted", reason: "holds_application", createdAt: at(30) },
        { tenantId: s.tenant.id, applicationId: s.payroll.id, userId: stranger.member.id, outcome: "refused", reason: "application_not_held", ipAddress: "203.0.113.7", createdAt: at(20) },
        { tenantId: s.tenant.id, applicationId: s.payroll.id, userId: ada.member.id, outcome: "granted", reason: "holds_application", createdAt: at(10) },
        { tenantId: s.tenant.id, applicationId: s.wiki.id, userId: ada.member.id, outcome: "granted", reason: "holds_application", createdAt: at(5) },
      ],
    });
    const first = await s.asAdmin.applicationMembers.signIns({ applicationId: s.payroll.id.toString(), limit: 2 });
    expect(first.items.map((line) => [line.memberName, line.outcome, line.reason, line.ipAddress])).toEqual([
      [ada.member.fullName, "granted", "holds_application", null],
      [stranger.member.fullName, "refused", "application_not_held", "203.0.113.7"],
    ]);
    const second = await s.asAdmin.applicationMembers.signIns({ applicationId: s.payroll.id.toString(), limit: 2, cursor: first.nextCursor });
    expect(second.items.map((line) => line.outcome)).toEqual(["granted"]);
    expect(second.nextCursor).toBeNull();
    const other = await scene();
    expect(await codeOf(other.asAdmin.applicationMembers.signIns({ applicationId: s.payroll.id.toString() }))).toBe("NOT_FOUND");
    // A cursor from another application's list changes nothing about whose lines are read.
    const foreignCursor = (await db().applicationSignIn.findFirstOrThrow({ where: { applicationId: s.wiki.id } })).id.toString();
    expect((await other.asAdmin.applicationMembers.signIns({ applicationId: other.payroll.id.toString(), cursor: foreignCursor })).items).toEqual([]);
  });
});

describe("an admin ending a member's session at an application", () => {
  it("revokes that application's tokens only, sends one back-channel logout, records it; a second try finds nothing", async () => {
    const s = await scene();
    const ada = await s.memberAt([s.payroll, s.wiki]);
    const bystander = await s.memberAt([s.payroll]);
    const bystanderRows = await providerRowsOf(bystander.member.id);

    expect(await s.asAdmin.applicationMembers.endSession({ applicationId: s.payroll.id.toString(), memberId: ada.member.id.toString() })).toEqual({ tokensRevoked: 3, logoutsQueued: 1 });
    const rows = await providerRowsOf(ada.member.id);
    expect(rows.filter((row) => row.clientId === s.payroll.oidcClientId)).toEqual([]);
    expect(rows.filter((row) => row.clientId === s.wiki.oidcClientId).map((row) => row.model)).toEqual(["AccessToken", "Grant", "RefreshToken"]);
    expect(await providerRowsOf(bystander.member.id)).toEqual(bystanderRows);
    await runDueJobs();
    expect(s.receiver.received.map((logout) => [logout.payload.aud, logout.payload.sid])).toEqual([[s.payroll.oidcClientId, ada.providerSession!.sidByClient.get(s.payroll.oidcClientId!)]]);
    expect(await db().applicationLogoutDelivery.findMany({ where: { userId: ada.member.id }, select: { cause: true, status: true } })).toEqual([{ cause: "sessions_revoked", status: "delivered" }]);
    expect(await db().auditEvent.count({ where: { action: "application.session_ended", targetId: s.payroll.id, actorId: s.admin.member.id } })).toBe(1);

    const deliveries = await s.asAdmin.applicationMembers.logoutDeliveries({ applicationId: s.payroll.id.toString() });
    expect(deliveries.items.map((line) => [line.memberId, line.status, line.httpStatus])).toEqual([[ada.member.id.toString(), "delivered", 200]]);
    expect(await codeOf(s.asAdmin.applicationMembers.endSession({ applicationId: s.payroll.id.toString(), memberId: ada.member.id.toString() }))).toBe("NOT_FOUND");
  });

  it("a burst of parallel ends: one ends it, the rest find nothing, one logout token is sent", async () => {
    const s = await scene();
    const ada = await s.memberAt([s.payroll]);
    const input = { applicationId: s.payroll.id.toString(), memberId: ada.member.id.toString() };
    const codes = await Promise.all(Array.from({ length: 50 }, () => codeOf(s.asAdmin.applicationMembers.endSession(input))));
    expect(codes.filter((code) => code === "OK")).toHaveLength(1);
    expect(codes.filter((code) => code !== "OK").every((code) => code === "NOT_FOUND")).toBe(true);
    await runDueJobs();
    expect(s.receiver.received).toHaveLength(1);
  });

  it("a plain admin cannot end an owner's session; an owner can; another organisation's admin finds neither", async () => {
    const s = await scene();
    const owner = await s.memberAt([s.payroll], { role: "owner" });
    const input = { applicationId: s.payroll.id.toString(), memberId: owner.member.id.toString() };
    const before = await providerRowsOf(owner.member.id);
    expect(await codeOf(s.asAdmin.applicationMembers.endSession(input))).toBe("FORBIDDEN");
    const other = await scene();
    expect(await codeOf(other.asOwner.applicationMembers.endSession(input))).toBe("NOT_FOUND");
    // Its own application with this organisation's member: the member is not found there.
    expect(await codeOf(other.asOwner.applicationMembers.endSession({ applicationId: other.payroll.id.toString(), memberId: owner.member.id.toString() }))).toBe("NOT_FOUND");
    expect(await providerRowsOf(owner.member.id)).toEqual(before);
    expect(await codeOf(s.asOwner.applicationMembers.endSession(input))).toBe("OK");
  });
});

describe("the member's own applications (/me)", () => {
  it("lists what they can sign in to, directly or through a group, with a sign-in link, live sessions and consent", async () => {
    const s = await scene();
    const thirdParty = await createOidcApplication(s.tenant.id, { name: "Analytics" });
    await db().application.update({ where: { id: thirdParty.id }, data: { firstParty: false, redirectUris: ["https://analytics.example.test/auth/callback"] } });
    const group = await createCatalogItem(db(), s.actor, { kind: "group", name: "Everyone" });
    await db().groupApplication.create({ data: { groupId: group.id, applicationId: thirdParty.id } });
    const ada = await s.memberAt([s.payroll]);
    await grantToMembers(db(), s.actor, { kind: "group", itemId: group.id.toString(), memberIds: [ada.member.id.toString()] });
    await createProviderSession(s.tenant.id, ada.member.id, [thirdParty]);
    // Held, but not a sign-in application: not listed.
    const plain = await createCatalogItem(db(), s.actor, { kind: "application", name: "Badge printer" });
    await grantToMembers(db(), s.actor, { kind: "application", itemId: plain.id.toString(), memberIds: [ada.member.id.toString()] });

    expect(await ada.as.myApplications.list()).toEqual([
      { id: thirdParty.id.toString(), name: "Analytics", description: null, signInUrl: "https://analytics.example.test/", firstParty: false, liveSession: true, consentGiven: true },
      { id: s.payroll.id.toString(), name: "Payroll", description: null, signInUrl: "http://127.0.0.1/", firstParty: true, liveSession: true, consentGiven: false },
    ]);
    const newcomer = await s.memberAt([]);
    expect(await newcomer.as.myApplications.list()).toEqual([]);
  });

  it("ending their own session revokes their tokens and consent there and tells the application; never another member's", async () => {
    const s = await scene();
    const ada = await s.memberAt([s.payroll, s.wiki]);
    const grace = await s.memberAt([s.payroll]);
    const graceRows = await providerRowsOf(grace.member.id);

    // There is no way to name another member: the input is refused.
    expect(await codeOf(procedureOf(ada.as, "myApplications.endSession")({ applicationId: s.payroll.id.toString(), memberId: grace.member.id.toString() }))).toBe("BAD_REQUEST");
    expect(await ada.as.myApplications.endSession({ applicationId: s.payroll.id.toString() })).toEqual({ tokensRevoked: 3, logoutsQueued: 1 });
    expect(await providerRowsOf(grace.member.id)).toEqual(graceRows);
    expect((await providerRowsOf(ada.member.id)).filter((row) => row.clientId === s.payroll.oidcClientId)).toEqual([]);
    await runDueJobs();
    expect(s.receiver.received.map((logout) => logout.payload.sub)).toEqual([ada.member.id.toString()]);
    expect(await db().applicationLogoutDelivery.findMany({ where: { userId: ada.member.id }, select: { cause: true } })).toEqual([{ cause: "member_signed_out" }]);
    expect((await ada.as.myApplications.list()).map((line) => [line.name, line.liveSession])).toEqual([
      ["Payroll", false],
      ["Wiki", true],
    ]);
    expect(await codeOf(ada.as.myApplications.endSession({ applicationId: s.payroll.id.toString() }))).toBe("NOT_FOUND");

    // Another organisation's application id: not found, and nothing of theirs changes.
    const other = await scene();
    const theirs = await other.memberAt([other.payroll]);
    const theirRows = await providerRowsOf(theirs.member.id);
    expect(await codeOf(ada.as.myApplications.endSession({ applicationId: other.payroll.id.toString() }))).toBe("NOT_FOUND");
    expect(await providerRowsOf(theirs.member.id)).toEqual(theirRows);
  });
});

describe("the member's own end session in a burst", () => {
  it("50 parallel ends of their own session: one ends it, the rest find nothing, one logout token is sent", async () => {
    const s = await scene();
    const ada = await s.memberAt([s.payroll]);
    const codes = await Promise.all(Array.from({ length: 50 }, () => codeOf(ada.as.myApplications.endSession({ applicationId: s.payroll.id.toString() }))));
    expect(codes.filter((code) => code === "OK")).toHaveLength(1);
    expect(codes.filter((code) => code !== "OK").every((code) => code === "NOT_FOUND")).toBe(true);
    await runDueJobs();
    expect(s.receiver.received).toHaveLength(1);
  });
});

describe("the procedures against callers without the right", () => {
  it("lists the added procedures (the checks below are not vacuous)", () => {
    expect(PATHS.sort()).toEqual([
      "applicationMembers.endSession",
      "applicationMembers.liveSessions",
      "applicationMembers.logoutDeliveries",
      "applicationMembers.signIns",
      "myApplications.endSession",
      "myApplications.list",
    ]);
  });

  it("answer an anonymous caller UNAUTHORIZED, a plain member FORBIDDEN on the console's, and refuse malformed or huge input", async () => {
    const s = await scene();
    const ada = await s.memberAt([s.payroll]);
    const before = await providerRowsOf(ada.member.id);
    const input = { applicationId: s.payroll.id.toString(), memberId: ada.member.id.toString() };
    for (const path of PATHS) {
      expect(await codeOf(procedureOf(s.asAnonymous, path)(input)), `${path} anonymous`).toBe("UNAUTHORIZED");
      if (path.startsWith("applicationMembers.")) expect(await codeOf(procedureOf(ada.as, path)(input)), `${path} member`).toBe("FORBIDDEN");
    }
    for (const applicationId of ["", "-1", "1e3", "99999999999999999999", "x".repeat(100_000), "1\u0000"]) {
      expect(await codeOf(s.asAdmin.applicationMembers.signIns({ applicationId })), applicationId.slice(0, 20)).toBe("BAD_REQUEST");
      expect(await codeOf(ada.as.myApplications.endSession({ applicationId })), applicationId.slice(0, 20)).toBe("BAD_REQUEST");
    }
    expect(await codeOf(s.asAdmin.applicationMembers.liveSessions({ applicationId: s.payroll.id.toString(), limit: 10_000 }))).toBe("BAD_REQUEST");
    expect(await providerRowsOf(ada.member.id)).toEqual(before);
  });
});
