import { randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { grantToMembers, revokeFromMember } from "@/server/access/grant-access";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { revokeAllMemberSessions, revokeMemberSession } from "@/server/auth/member-sessions";
import { passwordResetTokenHash } from "@/server/auth/forgot-password";
import { resetPassword } from "@/server/auth/forgot-password-reset";
import { markSteppedUp } from "@/server/auth/step-up";
import { revokeApplicationAccess } from "@/server/application-sessions/revoke-application-access";
import { listLogoutDeliveries } from "@/server/application-sessions/list-logout-deliveries";
import { getMemberLifecycle } from "@/server/lifecycle/get-member-lifecycle";
import { hardDeleteMember } from "@/server/lifecycle/hard-delete-members";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { deliverBackchannelLogout, deliverBackchannelLogouts, LogoutDeliveryError } from "@/server/oidc/deliver-backchannel-logout";
import { issuerUrl, subjectOf } from "@/server/oidc/issuer";
import { transferMember } from "@/server/org/transfer-member";
import { enqueue } from "@/server/queue/enqueue";
import { MAX_LOGOUTS_PER_JOB } from "@/server/queue/payloads";
import { reportNotMe } from "@/server/self-service/report-not-me";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";
import { startLogoutReceiver } from "../support/logout-receiver";
import { createOidcApplication, createProviderSession, providerRowsOf } from "../support/oidc-sessions";

// Issue 14, item 4: every lifecycle action that signs a member out of Tenure
// signs them out of the applications: their tokens and grants are deleted from
// the provider's storage at once, and each application where they had a
// session receives a back-channel logout token (a real HTTP receiver verifies
// it against the published keys), retried while it is down; the receipt lists
// each application and waits for the last one.

const receivers: Awaited<ReturnType<typeof startLogoutReceiver>>[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.stop()));
});

const NEW_PASSWORD = "a brand new passphrase for the reset";

/** An organisation with an admin, a receiver, and applications: `withLogout` of them with a back-channel logout URI, `withoutLogout` without. */
async function scene(options: { withLogout?: number; withoutLogout?: number } = {}) {
  const tenant = await createTenant();
  const { member: admin, sessionId: adminSessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin, sessionId: adminSessionId };
  const receiver = await startLogoutReceiver(issuerUrl(tenant.slug));
  receivers.push(receiver);
  const applications = [
    ...(await Promise.all(Array.from({ length: options.withLogout ?? 2 }, (_, index) => createOidcApplication(tenant.id, { name: `Logout app ${index}`, backchannelLogoutUri: receiver.uriFor })))),
    ...(await Promise.all(Array.from({ length: options.withoutLogout ?? 1 }, (_, index) => createOidcApplication(tenant.id, { name: `Quiet app ${index}` })))),
  ];
  /** A signed-in member holding every application, with a provider session at each. */
  const signedInMember = async () => {
    const { member, sessionId } = await createSignedInMember(tenant.id);
    for (const application of applications) {
      await grantToMembers(db(), actor, { kind: "application", itemId: application.id.toString(), memberIds: [member.id.toString()] });
    }
    const providerSession = await createProviderSession(tenant.id, member.id, applications);
    return { member, sessionId, providerSession };
  };
  return { tenant, admin, actor, receiver, applications, signedInMember };
}

const deliveriesOf = (userId: bigint) => db().applicationLogoutDelivery.findMany({ where: { userId }, orderBy: [{ applicationId: "asc" }, { id: "asc" }] });

async function makeLogoutJobsDue(): Promise<void> {
  await db().$executeRaw`
    UPDATE graphile_worker._private_jobs SET run_at = now() - interval '1 second'
    WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'application__deliver_backchannel_logout') AND locked_at IS NULL`;
}

describe("a member disabled with sessions at several applications", () => {
  it("loses every token at once, each application with a back-channel URI receives a verified logout token, and the receipt lists them", async () => {
    const { tenant, actor, receiver, applications, signedInMember } = await scene({ withLogout: 2, withoutLogout: 1 });
    const { member, providerSession } = await signedInMember();
    const bystander = await signedInMember();
    const elsewhere = await scene();
    const stranger = await elsewhere.signedInMember();
    const strangerRows = await providerRowsOf(stranger.member.id);

    await runLifecycleAction(db(), actor, { action: "disable", memberIds: [member.id.toString()], reason: "Left" });

    // Refresh fails at once: nothing of theirs is left in the provider's storage, the session included.
    expect(await providerRowsOf(member.id)).toEqual([]);
    const queued = await deliveriesOf(member.id);
    const [first, second, quiet] = applications;
    expect(queued.map((row) => ({ applicationId: row.applicationId, status: row.status, sid: row.sid, tokens: row.tokensRevoked, cause: row.cause }))).toEqual([
      // Access and refresh tokens (and the first application's half-done authorisation code).
      { applicationId: first!.id, status: "pending", sid: providerSession.sidByClient.get(first!.oidcClientId!)!, tokens: 3, cause: "disable" },
      { applicationId: second!.id, status: "pending", sid: providerSession.sidByClient.get(second!.oidcClientId!)!, tokens: 2, cause: "disable" },
      // No back-channel URI: revoked all the same, nothing to send.
      { applicationId: quiet!.id, status: "not_required", sid: null, tokens: 2, cause: "disable" },
    ]);
    const receipt = await db().lifecycleReceipt.findFirstOrThrow({ where: { userId: member.id } });
    expect(queued.every((row) => row.receiptId === receipt.id)).toBe(true);

    await runDueJobs();

    expect(receiver.rejected).toEqual([]);
    expect(receiver.received.map((logout) => ({ aud: logout.payload.aud, sub: logout.payload.sub, sid: logout.payload.sid, typ: logout.typ })).sort((a, b) => String(a.aud).localeCompare(String(b.aud)))).toEqual(
      [first!, second!]
        .map((application) => ({ aud: application.oidcClientId, sub: subjectOf(member.id), sid: providerSession.sidByClient.get(application.oidcClientId!), typ: "logout+jwt" }))
        .sort((a, b) => String(a.aud).localeCompare(String(b.aud))),
    );
    const delivered = await deliveriesOf(member.id);
    expect(delivered.filter((row) => row.status === "delivered").map((row) => ({ attempts: row.attempts, httpStatus: row.lastHttpStatus, error: row.lastError }))).toEqual([
      { attempts: 1, httpStatus: 200, error: null },
      { attempts: 1, httpStatus: 200, error: null },
    ]);

    const lifecycle = await getMemberLifecycle(db(), tenant.id, member.id);
    const [shown] = lifecycle.receipts;
    expect(shown!.applications.map((line) => ({ name: line.name, tokensRevoked: line.tokensRevoked, logouts: line.logouts.map((logout) => [logout.status, logout.httpStatus]) }))).toEqual([
      { name: "Logout app 0", tokensRevoked: 3, logouts: [["delivered", 200]] },
      { name: "Logout app 1", tokensRevoked: 2, logouts: [["delivered", 200]] },
      { name: "Quiet app 0", tokensRevoked: 2, logouts: [] },
    ]);
    const lastDelivery = Math.max(...delivered.flatMap((row) => (row.deliveredAt ? [row.deliveredAt.getTime()] : [])));
    const proven = await db().lifecycleReceipt.findUniqueOrThrow({ where: { id: receipt.id } });
    // Time to zero access lasts until the last application confirmed.
    expect(shown!.timeToZeroAccessMs).toBeGreaterThanOrEqual(proven.zeroAccessMs!);
    expect(shown!.timeToZeroAccessMs).toBeCloseTo(lastDelivery - (proven.zeroAccessAt!.getTime() - proven.zeroAccessMs!), 0);

    // Another member of the organisation, and another organisation's member, keep everything.
    expect((await providerRowsOf(bystander.member.id)).length).toBe(11);
    expect(await providerRowsOf(stranger.member.id)).toEqual(strangerRows);
    expect(elsewhere.receiver.received).toEqual([]);
  });

  it("a bulk disable revokes every member's tokens in the same few statements and delivers every logout", { timeout: 60_000 }, async () => {
    const { actor, receiver, signedInMember } = await scene({ withLogout: 5, withoutLogout: 0 });
    const members = [];
    for (let index = 0; index < 20; index += 1) members.push(await signedInMember());
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: members.map(({ member }) => member.id.toString()), reason: "Reorganisation" });
    const ids = members.map(({ member }) => member.id);
    expect(await db().oidcPayload.count({ where: { userId: { in: ids } } })).toBe(0);
    expect(await db().applicationLogoutDelivery.count({ where: { userId: { in: ids }, status: "pending" } })).toBe(100);
    await runDueJobs();
    expect(receiver.received).toHaveLength(100);
    expect(await db().applicationLogoutDelivery.count({ where: { userId: { in: ids }, status: "delivered" } })).toBe(100);
  });
});

describe("a bulk action's logouts are delivered in jobs", () => {
  const logoutJobs = () =>
    db().$queryRaw<{ ids: string[] }[]>`
      SELECT ARRAY(SELECT json_array_elements_text(payload -> 'deliveryIds')) AS ids FROM graphile_worker._private_jobs
      WHERE task_id = (SELECT id FROM graphile_worker._private_tasks WHERE identifier = 'application__deliver_backchannel_logout') ORDER BY id`;

  it("of one application each, at most MAX_LOGOUTS_PER_JOB rows, every pending row once, all delivered", { timeout: 60_000 }, async () => {
    const { tenant, actor, receiver, applications } = await scene({ withLogout: 2, withoutLogout: 0 });
    const members = [];
    for (let index = 0; index < MAX_LOGOUTS_PER_JOB + 10; index += 1) {
      const member = await createMember(tenant.id);
      await createProviderSession(tenant.id, member.id, applications);
      members.push(member);
    }
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: members.map((member) => member.id.toString()), reason: "Reorganisation" });

    const rows = await db().applicationLogoutDelivery.findMany({ where: { userId: { in: members.map((member) => member.id) } }, select: { id: true, applicationId: true, status: true } });
    const applicationOf = new Map(rows.map((row) => [row.id.toString(), row.applicationId]));
    const jobs = await logoutJobs();
    expect(jobs.map((job) => job.ids.length).sort((a, b) => a - b)).toEqual([10, 10, MAX_LOGOUTS_PER_JOB, MAX_LOGOUTS_PER_JOB]);
    for (const job of jobs) expect(new Set(job.ids.map((id) => applicationOf.get(id))).size).toBe(1);
    expect(jobs.flatMap((job) => job.ids).sort()).toEqual(rows.filter((row) => row.status === "pending").map((row) => row.id.toString()).sort());

    await runDueJobs();
    expect(receiver.rejected).toEqual([]);
    expect(receiver.received).toHaveLength(2 * (MAX_LOGOUTS_PER_JOB + 10));
    expect(new Set(receiver.received.map((logout) => logout.payload.jti)).size).toBe(receiver.received.length);
    const delivered = await db().applicationLogoutDelivery.findMany({ where: { userId: { in: members.map((member) => member.id) } } });
    expect(delivered.every((row) => row.status === "delivered" && row.attempts === 1 && row.lastHttpStatus === 200 && row.deliveredAt !== null)).toBe(true);
  });

  it("a job some of whose rows were delivered already sends only the others, and a job of unknown rows does nothing", async () => {
    const { actor, receiver, signedInMember } = await scene({ withLogout: 1, withoutLogout: 0 });
    const first = await signedInMember();
    const second = await signedInMember();
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: [first.member.id.toString(), second.member.id.toString()], reason: "Left" });
    const [firstRow] = await deliveriesOf(first.member.id);
    const [secondRow] = await deliveriesOf(second.member.id);
    expect(await deliverBackchannelLogout(db(), firstRow!.id, { attempt: 1, maxAttempts: 13 })).toBe("delivered");
    expect(await deliverBackchannelLogouts(db(), [firstRow!.id, secondRow!.id, 999_999_999n], { attempt: 1, maxAttempts: 13 })).toEqual({ delivered: 1, retry: 0, failed: 0, skipped: 2 });
    expect(receiver.received.map((logout) => logout.payload.sub)).toEqual([subjectOf(first.member.id), subjectOf(second.member.id)]);
  });
});

describe("every action that ends a member's sessions reaches the applications", () => {
  type TScene = Awaited<ReturnType<typeof scene>>;
  type TMember = Awaited<ReturnType<TScene["signedInMember"]>>;
  const lifecycle = (action: "lock" | "disable" | "resign" | "archive" | "delete") => async (s: TScene, m: TMember) => {
    await runLifecycleAction(db(), s.actor, { action, memberIds: [m.member.id.toString()], ...(action === "archive" || action === "delete" ? {} : { reason: "Because" }) } as Parameters<typeof runLifecycleAction>[2]);
  };
  const actions: [string, string, (s: TScene, m: TMember) => Promise<void>][] = [
    ["lock", "lock", lifecycle("lock")],
    ["disable", "disable", lifecycle("disable")],
    ["resign", "resign", lifecycle("resign")],
    ["archive", "archive", lifecycle("archive")],
    ["delete", "delete", lifecycle("delete")],
    [
      "this wasn't me",
      "not_me",
      async (s, m) => {
        const attempt = await db().loginAttempt.create({
          data: { tenantId: s.tenant.id, userId: m.member.id, login: m.member.username, ipAddress: "203.0.113.9", result: "success", reason: "signed_in", abnormal: true },
        });
        await reportNotMe(db(), { tenantId: s.tenant.id, memberId: m.member.id, sessionId: m.sessionId }, { attemptId: attempt.id.toString() });
      },
    ],
    [
      "password reset",
      "password_reset",
      async (s, m) => {
        const token = randomBytes(32).toString("base64url");
        await db().passwordResetToken.create({ data: { tenantId: s.tenant.id, userId: m.member.id, tokenHash: passwordResetTokenHash(token), expiresAt: new Date(Date.now() + 600_000) } });
        await resetPassword(db(), {}, { token, newPassword: NEW_PASSWORD, confirmation: NEW_PASSWORD });
      },
    ],
    ["an admin ending all sessions", "sessions_revoked", (s, m) => revokeAllMemberSessions(db(), s.actor, { memberId: m.member.id.toString() }).then(() => undefined)],
    ["an admin ending one session", "sessions_revoked", (s, m) => revokeMemberSession(db(), s.actor, { memberId: m.member.id.toString(), sessionId: m.sessionId }).then(() => undefined)],
  ];

  it.each(actions)("%s: tokens revoked, a logout token delivered, the cause recorded", async (_name, cause, act) => {
    const s = await scene({ withLogout: 1, withoutLogout: 1 });
    const m = await s.signedInMember();
    await act(s, m);
    expect(await providerRowsOf(m.member.id)).toEqual([]);
    await runDueJobs();
    const rows = await deliveriesOf(m.member.id);
    expect(rows.map((row) => [row.status, row.cause])).toEqual([
      ["delivered", cause],
      ["not_required", cause],
    ]);
    expect(s.receiver.received.map((logout) => logout.payload.sid)).toEqual([m.providerSession.sidByClient.get(s.applications[0]!.oidcClientId!)]);
  });
});

describe("an application that is down", () => {
  it("is retried with backoff until it answers; the receipt's time to zero access waits for it; a delivered logout is never sent again", async () => {
    const { tenant, actor, receiver, signedInMember } = await scene({ withLogout: 1, withoutLogout: 0 });
    const { member } = await signedInMember();
    receiver.answerWith(503);
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: [member.id.toString()], reason: "Left" });
    await runDueJobs();

    const [failing] = await deliveriesOf(member.id);
    expect(failing).toMatchObject({ status: "pending", attempts: 1, lastHttpStatus: 503, lastError: "HTTP 503 Service Unavailable", deliveredAt: null });
    const job = await db().$queryRaw<{ attempts: number; max_attempts: number; run_at: Date }[]>`
      SELECT attempts, max_attempts, run_at FROM graphile_worker._private_jobs WHERE payload::jsonb -> 'deliveryIds' @> jsonb_build_array(${failing!.id.toString()}::text)`;
    // Retried later (graphile-worker's exponential backoff), for about a day.
    expect(job).toMatchObject([{ attempts: 1, max_attempts: 13 }]);
    expect(job[0]!.run_at.getTime()).toBeGreaterThan(Date.now());
    let [shown] = (await getMemberLifecycle(db(), tenant.id, member.id)).receipts;
    expect(shown).toMatchObject({ applicationLogoutsPending: 1, timeToZeroAccessMs: null });
    expect(shown!.zeroAccessMs).not.toBeNull();

    receiver.answerWith(200);
    await makeLogoutJobsDue();
    await runDueJobs();
    const [delivered] = await deliveriesOf(member.id);
    expect(delivered).toMatchObject({ status: "delivered", attempts: 2, lastHttpStatus: 200, lastError: null });
    expect(receiver.received).toHaveLength(1);
    [shown] = (await getMemberLifecycle(db(), tenant.id, member.id)).receipts;
    expect(shown!.applicationLogoutsPending).toBe(0);
    expect(shown!.timeToZeroAccessMs).toBeGreaterThan(shown!.zeroAccessMs!);

    // A duplicate job for the delivered row sends nothing.
    await db().$transaction((tx) => enqueue(tx, "application__deliver_backchannel_logout", { deliveryId: delivered!.id.toString() }));
    await runDueJobs();
    expect(receiver.received).toHaveLength(1);
    expect(await deliverBackchannelLogout(db(), delivered!.id, { attempt: 1, maxAttempts: 13 })).toBe("skipped");
  });

  it("is given up on after the last attempt: the receipt says so and never claims zero access with the applications", async () => {
    const { tenant, actor, receiver, signedInMember } = await scene({ withLogout: 1, withoutLogout: 0 });
    const { member } = await signedInMember();
    receiver.answerWith(503);
    await runLifecycleAction(db(), actor, { action: "disable", memberIds: [member.id.toString()], reason: "Left" });
    const [row] = await deliveriesOf(member.id);
    await expect(deliverBackchannelLogout(db(), row!.id, { attempt: 12, maxAttempts: 13 })).rejects.toBeInstanceOf(LogoutDeliveryError);
    expect(await deliverBackchannelLogout(db(), row!.id, { attempt: 13, maxAttempts: 13 })).toBe("failed");
    expect(await deliveriesOf(member.id)).toMatchObject([{ status: "failed", attempts: 2, lastHttpStatus: 503 }]);
    const [shown] = (await getMemberLifecycle(db(), tenant.id, member.id)).receipts;
    expect(shown).toMatchObject({ applicationLogoutsFailed: 1, timeToZeroAccessMs: null });
  });

  it("a redirect is not followed, and the response body is not kept", async () => {
    const s = await scene({ withLogout: 0, withoutLogout: 0 });
    const redirecting = await createOidcApplication(s.tenant.id, { backchannelLogoutUri: s.receiver.redirectingUriFor });
    const { member } = await createSignedInMember(s.tenant.id);
    await createProviderSession(s.tenant.id, member.id, [redirecting]);
    await runLifecycleAction(db(), s.actor, { action: "disable", memberIds: [member.id.toString()], reason: "Left" });
    const [row] = await deliveriesOf(member.id);
    await expect(deliverBackchannelLogout(db(), row!.id, { attempt: 1, maxAttempts: 13 })).rejects.toBeInstanceOf(LogoutDeliveryError);
    expect(s.receiver.received).toEqual([]);
    expect(await deliveriesOf(member.id)).toMatchObject([{ status: "pending", lastHttpStatus: 302, lastError: "HTTP 302 Found" }]);
  });
});

describe("losing one application", () => {
  it("through a department move revokes that application only: the other keeps its tokens and the provider session", async () => {
    const s = await scene({ withLogout: 2, withoutLogout: 0 });
    const [viaDepartment, direct] = s.applications;
    const engineering = await db().department.create({ data: { tenantId: s.tenant.id, name: "Engineering" } });
    const sales = await db().department.create({ data: { tenantId: s.tenant.id, name: "Sales" } });
    await db().departmentApplication.create({ data: { departmentId: engineering.id, applicationId: viaDepartment!.id } });
    const member = await createMember(s.tenant.id);
    await db().departmentMember.create({ data: { departmentId: engineering.id, userId: member.id } });
    await grantToMembers(db(), s.actor, { kind: "application", itemId: direct!.id.toString(), memberIds: [member.id.toString()] });
    const session = await createProviderSession(s.tenant.id, member.id, [viaDepartment!, direct!]);

    await transferMember(db(), s.actor, { memberId: member.id.toString(), fromDepartmentId: engineering.id.toString(), toDepartmentId: sales.id.toString() });

    const rows = await providerRowsOf(member.id);
    expect(rows.filter((row) => row.clientId === viaDepartment!.oidcClientId)).toEqual([]);
    expect(rows.filter((row) => row.clientId === direct!.oidcClientId).map((row) => row.model)).toEqual(["AccessToken", "Grant", "RefreshToken"]);
    expect(rows.filter((row) => row.model === "Session").map((row) => row.clients)).toEqual([[direct!.oidcClientId]]);
    await runDueJobs();
    expect(s.receiver.received.map((logout) => [logout.payload.aud, logout.payload.sid])).toEqual([[viaDepartment!.oidcClientId, session.sidByClient.get(viaDepartment!.oidcClientId!)]]);
    expect((await deliveriesOf(member.id)).map((row) => [row.applicationId, row.cause, row.receiptId])).toEqual([[viaDepartment!.id, "application_revoked", null]]);

    // Then revoking the direct grant cuts the last application: the provider session ends with it.
    await revokeFromMember(db(), s.actor, { kind: "application", itemId: direct!.id.toString(), memberId: member.id.toString() });
    expect(await providerRowsOf(member.id)).toEqual([]);
    await runDueJobs();
    expect(s.receiver.received).toHaveLength(2);
  });

  it("a grant that still reaches the member another way changes nothing", async () => {
    const s = await scene({ withLogout: 1, withoutLogout: 0 });
    const [application] = s.applications;
    const group = await createCatalogItem(db(), s.actor, { kind: "group", name: "Everyone" });
    const member = await createMember(s.tenant.id);
    await db().groupApplication.create({ data: { groupId: group.id, applicationId: application!.id } });
    await grantToMembers(db(), s.actor, { kind: "group", itemId: group.id.toString(), memberIds: [member.id.toString()] });
    await grantToMembers(db(), s.actor, { kind: "application", itemId: application!.id.toString(), memberIds: [member.id.toString()] });
    await createProviderSession(s.tenant.id, member.id, [application!]);
    const before = await providerRowsOf(member.id);
    await revokeFromMember(db(), s.actor, { kind: "application", itemId: application!.id.toString(), memberId: member.id.toString() });
    expect(await providerRowsOf(member.id)).toEqual(before);
    expect(await deliveriesOf(member.id)).toEqual([]);
  });
});

describe("an application's logouts", () => {
  it("are listed failures first, then the latest, a keyset page at a time, and never another organisation's", async () => {
    const s = await scene({ withLogout: 1, withoutLogout: 0 });
    const [application] = s.applications;
    const members = [await s.signedInMember(), await s.signedInMember(), await s.signedInMember()];
    for (const { member } of members) await runLifecycleAction(db(), s.actor, { action: "disable", memberIds: [member.id.toString()], reason: "Left" });
    const [failing] = await deliveriesOf(members[1]!.member.id);
    s.receiver.answerWith(503);
    expect(await deliverBackchannelLogout(db(), failing!.id, { attempt: 13, maxAttempts: 13 })).toBe("failed");
    s.receiver.answerWith(200);
    await runDueJobs();

    const first = await listLogoutDeliveries(db(), s.tenant.id, application!.id, { limit: 2 });
    expect(first.items.map((line) => [line.memberId, line.status, line.httpStatus])).toEqual([
      [members[1]!.member.id.toString(), "failed", 503],
      [members[2]!.member.id.toString(), "delivered", 200],
    ]);
    const second = await listLogoutDeliveries(db(), s.tenant.id, application!.id, { limit: 2, cursor: first.nextCursor });
    expect(second).toMatchObject({ items: [{ memberId: members[0]!.member.id.toString(), status: "delivered", cause: "disable" }], nextCursor: null });
    const other = await createTenant();
    expect(await listLogoutDeliveries(db(), other.id, application!.id)).toEqual({ items: [], nextCursor: null });
  });
});

describe("boundaries", () => {
  it("another organisation's id revokes nothing of this one's members", async () => {
    const s = await scene();
    const other = await createTenant();
    const { member } = await s.signedInMember();
    const before = await providerRowsOf(member.id);
    const revoked = await db().$transaction((tx) => revokeApplicationAccess(tx, { tenantId: other.id, userIds: [member.id], applicationIds: "all", cause: "disable" }));
    expect(revoked).toEqual([]);
    expect(await providerRowsOf(member.id)).toEqual(before);
  });

  it("a hard delete leaves none of the member's provider rows or deliveries", async () => {
    const s = await scene();
    const { member } = await s.signedInMember();
    await runLifecycleAction(db(), s.actor, { action: "lock", memberIds: [member.id.toString()], reason: "x" });
    await createProviderSession(s.tenant.id, member.id, s.applications);
    await markSteppedUp(db(), s.actor.sessionId);
    await hardDeleteMember(db(), s.actor, { memberId: member.id.toString(), confirmUsername: member.username });
    expect(await db().oidcPayload.count({ where: { userId: member.id } })).toBe(0);
    expect(await db().$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM oidc_payloads WHERE payload->>'accountId' = ${subjectOf(member.id)}`).toEqual([{ n: 0 }]);
    expect(await db().applicationLogoutDelivery.count({ where: { userId: member.id } })).toBe(0);
  });
});
