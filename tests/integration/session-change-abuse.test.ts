import { describe, expect, it } from "vitest";
import { POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { db } from "@/server/db/client";
import { taskPayloads } from "@/server/queue/payloads";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createDirectory, directorySettingsInput } from "../support/directories";
import { createSignedInMember, createTenant } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";

// An attacker's view of this change's entry points not covered beside their features: cancelling a scheduled
// lock and saving a directory's settings with a version, as an anonymous caller, a member, and over HTTP with a
// malformed cookie, a NUL byte or a 1 MB string; and the crontab task that frees dead workers' jobs, which
// takes no input at all.

const client = { ipAddress: "198.51.100.31", userAgent: "vitest" };
const callerOf = async (sessionId: string | null) => createCaller(await createContextForSessionId(sessionId, client));
const post = (procedure: string, cookie: string, json: unknown) =>
  trpcPost(
    new Request(`http://localhost:3000/api/trpc/${procedure}`, { method: "POST", headers: { "content-type": "application/json", cookie }, body: JSON.stringify({ json }) }),
  );
const DAY = 86_400_000;

describe("cancelling a scheduled lock, as an attacker", () => {
  async function scene() {
    const tenant = await createTenant();
    const admin = await createSignedInMember(tenant.id, { role: "admin" });
    const { member } = await createSignedInMember(tenant.id);
    await (await callerOf(admin.sessionId)).lifecycle.run({ action: "lock", memberIds: [member.id.toString()], reason: "Audit", lockStartDate: new Date(Date.now() + DAY) });
    return { admin, member };
  }
  const lockStart = async (memberId: bigint) => (await db().user.findUniqueOrThrow({ where: { id: memberId }, select: { lockStartAt: true } })).lockStartAt;

  it("is refused to an anonymous caller, and over HTTP a malformed cookie is signed out, a NUL or 1 MB id a 400; nothing changes until the admin's own call", async () => {
    const s = await scene();
    await expect((await callerOf(null)).lifecycle.cancelLock({ memberId: s.member.id.toString() })).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    const admin = await sessionCookieFor(s.admin.sessionId);
    expect((await post("lifecycle.cancelLock", "x=%E0%A4%A; =%", { memberId: s.member.id.toString() })).status).toBe(401);
    expect((await post("lifecycle.cancelLock", admin, { memberId: "\u0000" })).status).toBe(400);
    expect((await post("lifecycle.cancelLock", admin, { memberId: "9".repeat(1_000_000) })).status).toBe(400);
    expect((await post("lifecycle.cancelLock", admin, { memberId: s.member.id.toString(), extra: "x" })).status).toBe(400);
    expect(await lockStart(s.member.id)).not.toBeNull();
    expect((await post("lifecycle.cancelLock", `${admin}; y=%zz`, { memberId: s.member.id.toString() })).status).toBe(200);
    expect(await lockStart(s.member.id)).toBeNull();
  });
});

describe("saving a directory's settings with a version, as an attacker", () => {
  it("is refused to an anonymous caller and a member; over HTTP a malformed cookie is signed out, a version as a NUL or 1 MB string a 400; nothing is stored", async () => {
    const tenant = await createTenant();
    const directory = await createDirectory(tenant.id, null, { name: "Head office" });
    const owner = await createSignedInMember(tenant.id, { role: "owner" });
    const member = await createSignedInMember(tenant.id);
    const input = { directoryId: directory.id.toString(), expectedSettingsUpdatedAt: directory.settingsUpdatedAt, ...directorySettingsInput({ name: "Renamed" }) };
    await expect((await callerOf(null)).directories.update(input)).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect((await callerOf(member.sessionId)).directories.update(input)).rejects.toMatchObject({ code: "FORBIDDEN" });

    const cookie = await sessionCookieFor(owner.sessionId);
    expect((await post("directories.update", "x=%E0%A4%A; =%", input)).status).toBe(401);
    // Over plain JSON a Date is a string: no version but a real Date passes the boundary.
    for (const version of ["\u0000", "9".repeat(1_000_000), directory.settingsUpdatedAt.toISOString()]) {
      expect((await post("directories.update", cookie, { ...input, expectedSettingsUpdatedAt: version })).status).toBe(400);
    }
    expect((await db().directory.findUniqueOrThrow({ where: { id: directory.id } })).name).toBe("Head office");
  });
});

describe("freeing dead workers' jobs, as an attacker", () => {
  it("takes no input: a job queued with any payload but the crontab's own is refused before it does anything", () => {
    expect(() => taskPayloads.workers__release_dead_locks.parse({ workerIds: ["worker-1"] })).toThrow();
    expect(() => taskPayloads.workers__release_dead_locks.parse({ _cron: { ts: "\u0000".repeat(10) }, x: "9".repeat(1_000_000) })).toThrow();
    expect(taskPayloads.workers__release_dead_locks.parse({ _cron: { ts: "2026-12-05T10:00:00Z" } })).toEqual({ _cron: { ts: "2026-12-05T10:00:00Z" } });
  });
});
