import { TRPCError } from "@trpc/server";
import { encode } from "next-auth/jwt";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { db } from "@/server/db/client";
import { revokeSession } from "@/server/auth/sessions";
import { currentSessionCookieName } from "@/server/auth/session-token";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { signInNotice, signedOutMessage } from "@/server/auth/sign-in-notices";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { lifecycleScene } from "../support/lifecycle";
import { sessionCookieFor } from "../support/session-cookie";

const callerFor = async (sessionId: string | null) => createCaller(await createContextForSessionId(sessionId));

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError).code;
}

describe("procedure guards", () => {
  it("rejects signed-out callers of protected and admin procedures with UNAUTHORIZED", async () => {
    const caller = await callerFor(null);
    expect(await codeOf(caller.me.get())).toBe("UNAUTHORIZED");
    expect(await codeOf(caller.members.list({}))).toBe("UNAUTHORIZED");
    expect(await codeOf(caller.tenant.overview())).toBe("UNAUTHORIZED");
  });

  it("tells a member disabled or locked while a page is open what the sign-in page tells them", async () => {
    const scene = await lifecycleScene();
    const disabled = await scene.newMember();
    const locked = await scene.newMember();
    await runLifecycleAction(db(), scene.actor, { action: "disable", memberIds: [disabled.member.id.toString()], reason: "Left the project" });
    await runLifecycleAction(db(), scene.actor, { action: "lock", memberIds: [locked.member.id.toString()], reason: "Suspicious sign-ins" });
    const blockedNotice = signInNotice("account_blocked")?.text;
    expect(blockedNotice).toBe("This account can no longer sign in. Contact your administrator.");
    for (const { sessionId } of [disabled, locked]) {
      // Twice: the first call revokes the session, the next still names the block, not "revoked".
      for (let call = 0; call < 2; call += 1) {
        const refused = await (await callerFor(sessionId)).me.get().catch((caught: unknown) => caught);
        expect(refused).toBeInstanceOf(TRPCError);
        expect(refused).toMatchObject({ code: "UNAUTHORIZED", message: blockedNotice });
      }
    }
  });

  it("words every refusal of an ended session as the sign-in page does for that reason", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    await revokeSession(db(), sessionId, "revoked");
    const refused = await (await callerFor(sessionId)).me.get().catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: "UNAUTHORIZED", message: signInNotice("revoked")?.text });
    for (const reason of ["idle", "expired", "revoked", "account_blocked", "password_changed", "signed_out"] as const) {
      expect(signedOutMessage(reason)).toBe(signInNotice(reason)?.text);
    }
    expect(signedOutMessage(null)).toBe("Sign in first");
  });

  it("rejects a member calling an admin procedure with FORBIDDEN, and serves their own profile", async () => {
    const tenant = await createTenant();
    const { member, sessionId } = await createSignedInMember(tenant.id, { role: "member" });
    const caller = await callerFor(sessionId);
    expect(await codeOf(caller.members.list({}))).toBe("FORBIDDEN");
    expect(await codeOf(caller.departments.tree())).toBe("FORBIDDEN");
    const profile = await caller.me.get();
    expect(profile).toMatchObject({ id: member.id, username: member.username, role: "member", tenantName: tenant.name });
  });

  it("lets an admin list only their own organisation's members, page by page", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
    for (let index = 0; index < 4; index += 1) await createMember(tenant.id);
    const stranger = await createMember((await createTenant()).id);

    const caller = await callerFor(sessionId);
    const first = await caller.members.list({ limit: 3 });
    expect(first.items).toHaveLength(3);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await caller.members.list({ limit: 3, cursor: first.nextCursor });
    expect(second.items).toHaveLength(2);
    expect(second.nextCursor).toBeNull();
    const ids = [...first.items, ...second.items].map((item) => item.id);
    expect(new Set(ids).size).toBe(5);
    expect(ids).not.toContain(stranger.id.toString());
    expect((await caller.tenant.overview()).memberCount).toBe(5);
  });

  it("treats a revoked session as signed out on its next call", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    expect((await (await callerFor(sessionId)).me.get()).tenantSlug).toBe(tenant.slug);
    await revokeSession(db(), sessionId, "revoked");
    expect(await codeOf((await callerFor(sessionId)).me.get())).toBe("UNAUTHORIZED");
  });

  it("answers invalid input with BAD_REQUEST and per-field errors", async () => {
    const caller = await callerFor(null);
    const error = await caller.setup
      .createFirstTenant({
        setupCode: "",
        organisationName: "",
        organisationSlug: "Not A Slug!",
        firstName: "Owner",
        lastName: "Person",
        mobile: "12",
        country: "GB",
        username: "owner",
        email: "not-an-email",
        password: "short",
        passwordConfirmation: "different",
      })
      .then(
        () => null,
        (caught: unknown) => caught as TRPCError,
      );
    if (!(error instanceof TRPCError)) throw new Error("expected the call to fail");
    expect(error.code).toBe("BAD_REQUEST");
    const fieldErrors = (error.cause as unknown as { issues: { path: string[] }[] }).issues.map((issue) => issue.path.join("."));
    expect(fieldErrors).toEqual(expect.arrayContaining(["organisationName", "organisationSlug", "email", "password"]));
  });
});

describe("the tRPC route handler", () => {
  const get = (path: string, cookie?: string) =>
    trpcGet(new Request(`http://localhost:3000/api/trpc/${path}`, { headers: cookie ? { cookie } : {} }));

  it("answers a signed-out call with 401", async () => {
    const response = await get("me.get");
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { json: { data: { code: string } } } };
    expect(body.error.json.data.code).toBe("UNAUTHORIZED");
  });

  it("reads the session from the next-auth cookie and stops honouring it once revoked", async () => {
    const tenant = await createTenant();
    const { member, sessionId } = await createSignedInMember(tenant.id);
    const cookie = await sessionCookieFor(sessionId);

    const ok = await get("me.get", cookie);
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { result: { data: Parameters<typeof superjson.deserialize>[0] } };
    expect(superjson.deserialize<{ username: string }>(body.result.data).username).toBe(member.username);

    await revokeSession(db(), sessionId, "revoked");
    expect((await get("me.get", cookie)).status).toBe(401);
  });

  it("rejects a forged cookie", async () => {
    const tenant = await createTenant();
    const { sessionId } = await createSignedInMember(tenant.id);
    const forged = await encode({ token: { sid: sessionId }, secret: "another-secret-that-is-long-enough-0123456789" });
    expect((await get("me.get", `${currentSessionCookieName()}=${forged}`)).status).toBe(401);
  });

  it("maps field errors of a mutation into the response", async () => {
    const response = await trpcPost(
      new Request("http://localhost:3000/api/trpc/setup.createFirstTenant", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          json: { organisationName: "X", organisationSlug: "x!", firstName: "A", lastName: "B", username: "a", email: "a@b.test", mobile: "1", country: "GB", password: "p", passwordConfirmation: "p" },
        }),
      }),
    );
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { json: { data: { fieldErrors: Record<string, string[]> } } } };
    expect(body.error.json.data.fieldErrors.organisationSlug?.[0]).toMatch(/Lowercase letters/);
    expect(body.error.json.data.fieldErrors.password?.[0]).toBe("At least 15 characters");
  });
});

describe("the caller's address", () => {
  it("is the address Tenure's HTTP server wrote, not an X-Forwarded-For the client wrote", async () => {
    const { createContextFromHeaders } = await import("@/server/trpc/context");
    const context = await createContextFromHeaders(new Headers({ "x-forwarded-for": "6.6.6.6", "x-tenure-client-address": "203.0.113.9", "user-agent": "vitest" }));
    expect(context.client).toEqual({ ipAddress: "203.0.113.9", userAgent: "vitest" });
  });
});
