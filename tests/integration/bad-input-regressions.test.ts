import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { authOptions } from "@/server/sign-in/auth-options";
import { SIGN_IN_ERROR } from "@/server/auth/schemas";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant } from "../support/factories";

// Issue 10 item 9, each request the attack reproduced: a clear BAD_REQUEST, not a 500 with the database's message.

const cursorOf = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return error as TRPCError;
}

async function expectBadRequest(promise: Promise<unknown>) {
  const error = await errorOf(promise);
  expect(error.code, String(error.cause ?? error.message)).toBe("BAD_REQUEST");
  expect(error.message).not.toMatch(/prisma|postgres|invalid byte sequence|0x00|out of range/i);
}

async function adminCaller() {
  const tenant = await createTenant();
  const { member, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  return { tenant, admin: member, caller: createCaller(await createContextForSessionId(sessionId)) };
}

describe("input the attack sent", () => {
  it("refuses a NUL in the member list's search", async () => {
    const { caller } = await adminCaller();
    await expectBadRequest(caller.members.list({ search: "ad\u0000a" }));
  });

  it("refuses a NUL in a member's title", async () => {
    const { tenant, caller } = await adminCaller();
    const target = await createMember(tenant.id);
    const current = await caller.members.get({ memberId: target.id.toString() });
    await expectBadRequest(
      caller.members.update({
        memberId: target.id.toString(),
        expectedLastModifiedDate: current.updatedAt,
        firstName: "Member",
        lastName: target.username,
        username: target.username,
        email: target.email,
        mobile: target.mobile!,
        country: "GB",
        title: "Chief\u0000Officer",
        role: "member",
      }),
    );
  });

  it("refuses a NUL in a lifecycle action's reason", async () => {
    const { tenant, caller } = await adminCaller();
    const target = await createMember(tenant.id);
    await expectBadRequest(caller.lifecycle.run({ action: "lock", memberIds: [target.id.toString()], reason: "because\u0000" }));
  });

  it("refuses a NUL in the signed-out forgot-password login", async () => {
    const tenant = await createTenant();
    const anonymous = createCaller(await createContextForSessionId(null));
    await expectBadRequest(anonymous.auth.passwordReset.request({ organisation: tenant.slug, login: "ada\u0000" }));
  });

  it("answers a NUL in the sign-in login with the sign-in form's own code, never the database's message", async () => {
    const tenant = await createTenant();
    const provider = authOptions().providers.find((candidate) => candidate.id === "credentials") as unknown as {
      options: { authorize: (credentials: Record<string, string>, request: { headers: Record<string, string> }) => Promise<unknown> };
    };
    const error = await provider.options.authorize({ organisation: tenant.slug, login: "ada\u0000", password: "whatever it is" }, { headers: {} }).then(
      () => null,
      (caught: unknown) => caught as Error,
    );
    // next-auth puts this message into the sign-in page's URL.
    expect(error?.message).toBe(SIGN_IN_ERROR.invalidCredentials);
  });

  it("refuses member list cursors with a 26-digit id or a date PostgreSQL cannot read", async () => {
    const { caller } = await adminCaller();
    await expectBadRequest(caller.members.list({ sort: "name", cursor: cursorOf(["name", "Member", "12345678901234567890123456"]) }));
    await expectBadRequest(caller.members.list({ sort: "created", cursor: cursorOf(["created", "1", "1"]) }));
    await expectBadRequest(caller.members.list({ sort: "created", cursor: cursorOf(["created", "2024-02-30 25:00", "1"]) }));
    await expectBadRequest(caller.members.list({ sort: "lastOnline", cursor: cursorOf(["lastOnline", "-271821-04-20T00:00:00.000Z", "1"]) }));
    await expectBadRequest(caller.members.list({ sort: "name", cursor: cursorOf(["name", "a\u0000", "1"]) }));
    await expectBadRequest(caller.lifecycle.recycleBin({ cursor: cursorOf(["2024-01-01T00:00:00.000Z", "12345678901234567890123456"]) }));
  });

  it("saves \"Prefers not to say\" (undisclosed) on create and on edit", async () => {
    const { tenant, caller } = await adminCaller();
    const { id } = await caller.members.create({
      firstName: "Pat",
      lastName: "Private",
      username: "pat.private",
      email: "pat.private@example.test",
      mobile: "+447911000111",
      country: "GB",
      gender: "undisclosed",
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).gender).toBe("undisclosed");
    const target = await createMember(tenant.id);
    const current = await caller.members.get({ memberId: target.id.toString() });
    await caller.members.update({
      memberId: target.id.toString(),
      expectedLastModifiedDate: current.updatedAt,
      firstName: "Member",
      lastName: target.username,
      username: target.username,
      email: target.email,
      mobile: target.mobile!,
      country: "GB",
      gender: "undisclosed",
      role: "member",
    });
    expect((await db().user.findUniqueOrThrow({ where: { id: target.id } })).gender).toBe("undisclosed");
  });
});
