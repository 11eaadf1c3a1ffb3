import { TRPCError } from "@trpc/server";
import { ArchivedHolderConflictError } from "@/server/errors";
import { describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { db } from "@/server/db/client";
import { HIGH_RISK_ACTIONS } from "@/server/audit/high-risk";
import { recordLoginAttempt } from "@/server/auth/login-attempts";
import { checkSession, createSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

const client = { ipAddress: "198.51.100.40", userAgent: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36" };
const callerFor = async (sessionId: string) => createCaller(await createContextForSessionId(sessionId, client));

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

/** The per-field messages the form gets (the API's error formatter reads them the same way). */
function fieldErrorsOf(error: TRPCError): Record<string, string[] | undefined> {
  if (error.cause instanceof ZodError) return z.flattenError(error.cause).fieldErrors;
  return (error.cause as { fieldErrors?: Record<string, string[]> } | undefined)?.fieldErrors ?? {};
}

async function memberScene() {
  const tenant = await createTenant();
  const { member, sessionId } = await createSignedInMember(tenant.id);
  return { tenant, member, sessionId, caller: await callerFor(sessionId) };
}

describe("own profile", () => {
  it("a member taking an archived member's mobile learns neither who holds it nor where their record is", async () => {
    const { tenant, caller } = await memberScene();
    const holder = await createMember(tenant.id, { fullName: "Grace Hidden", mobile: "+447400999111" });
    await db().user.update({ where: { id: holder.id }, data: { state: "archived" } });
    const opened = (await caller.me.get()).updatedAt;
    const refused = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: opened, mobile: "07400 999111", country: "gb" }));
    expect(refused.code).toBe("CONFLICT");
    expect(refused.cause).not.toBeInstanceOf(ArchivedHolderConflictError);
    expect(JSON.stringify({ message: refused.message, cause: refused.cause })).not.toMatch(/Grace Hidden|Hidden|\/console\/members/);
    expect(JSON.stringify(refused.cause)).not.toContain(holder.id.toString());
  });

  it("edits only the fields the organisation allows, with the console's field rules", async () => {
    const { tenant, member, caller } = await memberScene();
    expect(await caller.selfService.editableFields()).toEqual(["mobile", "landline", "address"]);
    const opened = (await caller.me.get()).updatedAt;

    const result = await caller.selfService.updateProfile({ expectedLastModifiedDate: opened, mobile: "07400 123456", country: "gb", landline: " +44 20 7946 0000 ", address: "1 High Street" });
    expect(result.changed.sort()).toEqual(["address", "country", "itc", "landline", "mobile"]);
    const saved = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(saved).toMatchObject({ mobile: "+447400123456", itc: "+44", country: "GB", landline: "+44 20 7946 0000", address: "1 High Street", lastModifiedBy: member.id });
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: member.id, action: "member.updated" } });
    expect(event.actorId).toBe(member.id);

    const refused = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: saved.updatedAt, title: "CEO", address: "2 High Street" }));
    expect(refused.code).toBe("FORBIDDEN");
    expect(fieldErrorsOf(refused)).toEqual({ title: ["Only an administrator can change this"] });
    // Extra keys (a role, a username) are not part of the input at all.
    expect((await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: saved.updatedAt, username: "boss" } as never))).code).toBe("BAD_REQUEST");

    const invalid = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: saved.updatedAt, mobile: "12", country: "GB" }));
    expect(invalid.code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(invalid).mobile).toEqual(["Not a valid mobile number for that country"]);
    const notANumber = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: saved.updatedAt, landline: "abc" }));
    expect(notANumber.code).toBe("BAD_REQUEST");
    expect(fieldErrorsOf(notANumber).landline).toEqual(["Enter a phone number: digits, spaces, +, -, ( ) and an extension such as “ext. 12”"]);
    const longAddress = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: saved.updatedAt, address: "x".repeat(201) }));
    expect(longAddress.code).toBe("BAD_REQUEST");

    const other = await createMember(tenant.id);
    const taken = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: saved.updatedAt, mobile: other.mobile!, country: "GB" }));
    expect(taken.code).toBe("CONFLICT");
    expect(fieldErrorsOf(taken).mobile?.[0]).toMatch(/already used/);

    const stale = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: opened, address: "3 High Street" }));
    expect(stale.code).toBe("CONFLICT");
  });

  it("follows the organisation's setting, which only an admin changes", async () => {
    const { tenant, caller } = await memberScene();
    expect((await errorOf(caller.selfService.updateSettings({ editableFields: ["title"] }))).code).toBe("FORBIDDEN");
    const { sessionId: adminSession } = await createSignedInMember(tenant.id, { role: "admin" });
    const admin = await callerFor(adminSession);
    expect(await admin.selfService.updateSettings({ editableFields: ["title", "avatarUrl"] })).toEqual({ editableFields: ["avatarUrl", "title"] });
    expect((await errorOf(admin.selfService.updateSettings({ editableFields: ["username"] } as never))).code).toBe("BAD_REQUEST");

    const opened = (await caller.me.get()).updatedAt;
    const result = await caller.selfService.updateProfile({ expectedLastModifiedDate: opened, title: "Engineer", avatarUrl: "https://pictures.example.test/me.png" });
    expect(result.changed.sort()).toEqual(["avatarUrl", "title"]);
    const notHttps = await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: result.updatedAt, avatarUrl: "javascript:alert(1)" }));
    expect(fieldErrorsOf(notHttps).avatarUrl).toBeDefined();
    expect((await errorOf(caller.selfService.updateProfile({ expectedLastModifiedDate: result.updatedAt, address: "Here" }))).code).toBe("FORBIDDEN");
  });
});

describe("own sessions", () => {
  it("lists them with device, address and last seen, signs out one other or all others, never silently the current one", async () => {
    const { tenant, member, sessionId, caller } = await memberScene();
    const phone = await createSession(db(), { tenantId: tenant.id, userId: member.id, ipAddress: "203.0.113.9", userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Version/18.0 Mobile/15E148 Safari/604.1" });
    const laptop = await createSession(db(), { tenantId: tenant.id, userId: member.id, ipAddress: "203.0.113.10", userAgent: client.userAgent });

    const listed = await caller.selfService.sessions({});
    expect(listed.items).toHaveLength(3);
    expect(listed.items.find((session) => session.id === sessionId)?.current).toBe(true);
    expect(listed.items.find((session) => session.id === phone)).toMatchObject({ ipAddress: "203.0.113.9", current: false });
    expect(listed.items.find((session) => session.id === phone)?.lastSeenAt).toBeInstanceOf(Date);
    expect(listed.items.find((session) => session.id === phone)?.device).toMatch(/iOS|iPhone|Safari/);

    await caller.selfService.revokeSession({ sessionId: phone });
    expect(await checkSession(db(), phone)).toEqual({ live: false, reason: "revoked" });
    expect((await errorOf(caller.selfService.revokeSession({ sessionId: phone }))).code).toBe("NOT_FOUND");
    expect((await errorOf(caller.selfService.revokeSession({ sessionId }))).code).toBe("PRECONDITION_FAILED");

    // Another member's session is not theirs to end.
    const stranger = await createSignedInMember(tenant.id);
    expect((await errorOf(caller.selfService.revokeSession({ sessionId: stranger.sessionId }))).code).toBe("NOT_FOUND");
    expect((await checkSession(db(), stranger.sessionId)).live).toBe(true);

    expect(await caller.selfService.revokeOtherSessions()).toEqual({ revoked: 1 });
    expect((await checkSession(db(), laptop)).live).toBe(false);
    expect((await checkSession(db(), sessionId)).live).toBe(true);
  });
});

describe("this wasn't me", () => {
  it("locks the account at once, ends every session including this one, and records a high-risk event", async () => {
    const { tenant, member, sessionId, caller } = await memberScene();
    const other = await createSession(db(), { tenantId: tenant.id, userId: member.id, ipAddress: "203.0.113.77", userAgent: "curl/8" });
    await recordLoginAttempt(db(), {
      tenantId: tenant.id,
      userId: member.id,
      login: member.username,
      client: { ipAddress: "203.0.113.77", userAgent: "curl/8" },
      result: "success",
      reason: "signed_in",
      abnormalReasons: ["new_device"],
    });
    const history = await caller.security.myLoginHistory({});
    const suspicious = history.items.find((attempt) => attempt.abnormal);
    expect(suspicious).toBeDefined();

    expect(await caller.selfService.reportNotMe({ attemptId: suspicious!.id })).toEqual({ locked: true });
    const after = await db().user.findUniqueOrThrow({ where: { id: member.id } });
    expect(after).toMatchObject({ state: "locked", locked: true, lockEndAt: null });
    expect((await checkSession(db(), sessionId)).live).toBe(false);
    expect((await checkSession(db(), other)).live).toBe(false);
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: member.id, action: "member.reported_not_me" } });
    expect(event.actorId).toBe(member.id);
    expect(HIGH_RISK_ACTIONS).toContain(event.action);
    expect(JSON.stringify(event.changes)).toContain("203.0.113.77");
    // The right password no longer opens the account: an admin must unlock it.
    await expect(signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, client)).rejects.toThrow("account_blocked");
  });

  it("is not offered, and refused, on the sign-in of the browser in use (issue 11 item 16)", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const credentials = { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD };
    const laptop = await signInWithPassword(db(), credentials, { ipAddress: "198.51.100.41", userAgent: "curl/8" });
    const phone = await signInWithPassword(db(), credentials, client);
    const caller = await callerFor(phone.sessionId);

    const history = (await caller.security.myLoginHistory({})).items;
    expect(history.map((attempt) => [attempt.ipAddress, attempt.thisBrowser])).toEqual([
      ["198.51.100.40", true],
      ["198.51.100.41", false],
    ]);
    // From the laptop's own session, the laptop's sign-in is the one in use.
    const fromLaptop = (await (await callerFor(laptop.sessionId)).security.myLoginHistory({})).items;
    expect(fromLaptop.filter((attempt) => attempt.thisBrowser).map((attempt) => attempt.ipAddress)).toEqual(["198.51.100.41"]);

    const own = history.find((attempt) => attempt.thisBrowser)!;
    const refused = await errorOf(caller.selfService.reportNotMe({ attemptId: own.id }));
    expect(refused.message).toBe("That is the sign-in of the browser you are using now");
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).state).toBe("active");
    expect((await checkSession(db(), phone.sessionId)).live).toBe(true);
    // The other browser's sign-in can still be reported.
    expect(await caller.selfService.reportNotMe({ attemptId: history.find((attempt) => !attempt.thisBrowser)!.id })).toEqual({ locked: true });
  });

  it("only takes attempts of the member's own history", async () => {
    const { tenant, member, caller } = await memberScene();
    const other = await createMember(tenant.id);
    await recordLoginAttempt(db(), { tenantId: tenant.id, userId: other.id, login: other.username, client, result: "success", reason: "signed_in" });
    const theirs = await db().loginAttempt.findFirstOrThrow({ where: { userId: other.id } });
    expect((await errorOf(caller.selfService.reportNotMe({ attemptId: theirs.id.toString() }))).code).toBe("NOT_FOUND");
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).state).toBe("active");
    expect((await db().user.findUniqueOrThrow({ where: { id: other.id } })).state).toBe("active");
  });
});
