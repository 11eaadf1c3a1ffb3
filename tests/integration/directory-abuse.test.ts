import { describe, expect, it } from "vitest";
import { directoryProbeBucket } from "@/server/directories/directory-probe-limit";
import { bucketExists } from "@/server/rate-limits/token-bucket";
import { GET as trpcGet } from "@/app/api/trpc/[trpc]/route";
import { GET as reportGet } from "@/app/api/directory-sync-runs/[runId]/report/route";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { enqueue } from "@/server/queue/enqueue";
import { PRESETS } from "@/server/directories/attribute-mapping";
import { createSignedInMember, createTenant } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";
import { sessionCookieFor } from "../support/session-cookie";
import { createDirectory, createSyncRun } from "../support/directories";

// Issue 13's surface (directories, their sync runs, the report route, the
// jobs, and the access-profile sweep) read as an attacker, through the
// caller and through real HTTP requests.

const ADDED = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).filter((path) => /^(directories|directorySync)\./.test(path));

type TCallable = (input: unknown) => Promise<unknown>;
const procedureOf = (caller: unknown, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as TCallable;
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: { code?: string }) => error.code ?? "THREW");
const trpcUrl = (path: string, input: unknown) => `http://localhost:3000/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
const reportOf = (runId: string, cookie: string | null) =>
  reportGet(new Request(`http://localhost:3000/api/directory-sync-runs/${encodeURIComponent(runId)}/report`, { headers: cookie ? { cookie } : {} }), { params: Promise.resolve({ runId }) });

async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  const member = await createSignedInMember(tenant.id);
  const caller = async (sessionId: string | null) => createCaller(await createContextForSessionId(sessionId));
  const directory = await createDirectory(tenant.id, null, { name: "Head office" });
  return { tenant, owner, admin, member, directory, asOwner: await caller(owner.sessionId), asAdmin: await caller(admin.sessionId), asMember: await caller(member.sessionId), asAnonymous: await caller(null) };
}

const unsavedSettings = {
  url: "ldap://127.0.0.1:1",
  startTls: false,
  caCertificate: null,
  bindDn: "cn=reader,dc=example,dc=org",
  bindPassword: "secret",
  baseDn: "dc=example,dc=org",
  userFilter: PRESETS.openldap.userFilter,
  attributeMapping: PRESETS.openldap.mapping,
  departmentSource: "none" as const,
  departmentAttribute: null,
};

describe("issue 13's procedures against callers without the right", () => {
  it("lists the added procedures (the checks below are not vacuous)", () => {
    expect(ADDED.length).toBeGreaterThanOrEqual(13);
  });

  it("answer an anonymous caller UNAUTHORIZED and a plain member FORBIDDEN, whatever the input", async () => {
    const s = await scene();
    for (const path of ADDED) {
      for (const input of [{}, { directoryId: s.directory.id.toString() }]) {
        expect(await codeOf(procedureOf(s.asAnonymous, path)(input)), `${path} anonymous`).toBe("UNAUTHORIZED");
        expect(await codeOf(procedureOf(s.asMember, path)(input)), `${path} member`).toBe("FORBIDDEN");
      }
    }
    expect(await db().directorySyncRun.count({ where: { tenantId: s.tenant.id } })).toBe(0);
  });

  it("a plain admin may read and sync, but not create, change or delete a directory, approve a plan, or probe a host of their choosing", async () => {
    const s = await scene();
    const id = s.directory.id.toString();
    expect((await s.asAdmin.directories.get({ directoryId: id })).name).toBe("Head office");
    expect(await codeOf(s.asAdmin.directories.delete({ directoryId: id }))).toBe("FORBIDDEN");
    expect(await codeOf(s.asAdmin.directories.testConnection({ settings: unsavedSettings }))).toBe("FORBIDDEN");
    expect(await codeOf(s.asAdmin.directories.preview({ settings: unsavedSettings }))).toBe("FORBIDDEN");
    const run = await createSyncRun(s.directory, "awaiting_approval");
    expect(await codeOf(s.asAdmin.directorySync.approve({ runId: run.id.toString() }))).toBe("FORBIDDEN");
    expect((await db().directorySyncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("awaiting_approval");
    expect(await db().directory.count({ where: { id: s.directory.id } })).toBe(1);
    // No probe was spent on the refused calls.
    expect(await bucketExists(db(), directoryProbeBucket(s.tenant.id))).toBe(false);
  });

  it("never reach into another organisation: its directory and its runs are not found, even for its owner's peers", async () => {
    const s = await scene();
    const other = await createTenant();
    const theirs = await createDirectory(other.id, null, { name: "Theirs" });
    const theirRun = await createSyncRun(theirs, "awaiting_approval");
    const directoryId = theirs.id.toString();
    const runId = theirRun.id.toString();
    for (const call of [
      () => s.asOwner.directories.get({ directoryId }),
      () => s.asOwner.directories.delete({ directoryId }),
      () => s.asOwner.directories.testConnection({ directoryId }),
      () => s.asOwner.directorySync.start({ directoryId }),
      () => s.asOwner.directorySync.runs({ directoryId }),
      () => s.asOwner.directorySync.run({ runId }),
      () => s.asOwner.directorySync.entries({ runId }),
      () => s.asOwner.directorySync.approve({ runId }),
      () => s.asOwner.directorySync.cancel({ runId }),
    ]) {
      expect(await codeOf(call())).toBe("NOT_FOUND");
    }
    expect((await s.asOwner.directories.list()).map((directory) => directory.name)).toEqual(["Head office"]);
    expect((await db().directorySyncRun.findUniqueOrThrow({ where: { id: theirRun.id } })).status).toBe("awaiting_approval");
    expect(await db().directory.count({ where: { id: theirs.id } })).toBe(1);
    const cookie = await sessionCookieFor(s.owner.sessionId);
    expect((await reportOf(runId, cookie)).status).toBe(404);
  });
});

describe("bursts", () => {
  it("50 parallel Sync now from an admin make one run and one job; 50 parallel reads answer alike", async () => {
    const s = await scene();
    const directoryId = s.directory.id.toString();
    const runs = await Promise.all(Array.from({ length: 50 }, () => s.asAdmin.directorySync.start({ directoryId })));
    expect(new Set(runs.map((run) => run.runId)).size).toBe(1);
    expect(await db().directorySyncRun.count({ where: { directoryId: s.directory.id } })).toBe(1);
    const [jobs] = await db().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
      WHERE t.identifier = 'directory__sync' AND j.payload->>'runId' = ${runs[0]!.runId}`;
    expect(jobs!.n).toBe(1);
    const reads = await Promise.all(Array.from({ length: 50 }, () => s.asAdmin.directorySync.runs({ directoryId }).then((page) => JSON.stringify(page))));
    expect(new Set(reads).size).toBe(1);
  });
});

describe("hostile bytes through real HTTP", () => {
  it("a NUL byte or 1 MB in an id or cursor is a 400 with a message, never a 500; a malformed cookie beside the session changes nothing", async () => {
    const s = await scene();
    const session = await sessionCookieFor(s.admin.sessionId);
    const run = await createSyncRun(s.directory, "succeeded", false);
    for (const bad of ["1\u0000", "9".repeat(1_000_000)]) {
      for (const [path, input] of [
        ["directories.get", { directoryId: bad }],
        ["directorySync.run", { runId: bad }],
        ["directorySync.entries", { runId: run.id.toString(), cursor: bad }],
      ] as const) {
        const response = await trpcGet(new Request(trpcUrl(path, input), { headers: { cookie: session } }));
        expect(response.status, `${path} ${bad.length}`).toBe(400);
        expect(await response.text()).not.toContain("Internal");
      }
      const report = await reportOf(bad, session);
      expect(report.status).toBe(404);
    }
    for (const malformed of ["x=%", "x=%E0%A4%A", "=%", "%=%; y=%zz"]) {
      const input = { directoryId: s.directory.id.toString() };
      expect((await trpcGet(new Request(trpcUrl("directories.get", input), { headers: { cookie: `${malformed}; ${session}` } }))).status, malformed).toBe(200);
      expect((await trpcGet(new Request(trpcUrl("directories.get", input), { headers: { cookie: malformed } }))).status, malformed).toBe(401);
      expect((await reportOf(run.id.toString(), `${session}; ${malformed}`)).status, malformed).toBe(200);
      expect((await reportOf(run.id.toString(), malformed)).status, malformed).toBe(401);
    }
    const memberCookie = await sessionCookieFor(s.member.sessionId);
    expect((await reportOf(run.id.toString(), memberCookie)).status).toBe(403);
  });
});

describe("jobs", () => {
  it("refuse malformed payloads at enqueue, and a forged job row changes nothing", async () => {
    for (const payload of [{}, { runId: "1\u0000" }, { runId: "x" }, { runId: "1", extra: true }, { runId: "9".repeat(1_000) }]) {
      await expect(db().$transaction((tx) => enqueue(tx, "directory__sync", payload as never)), JSON.stringify(payload).slice(0, 40)).rejects.toThrow();
    }
    for (const task of ["directory__sync_due", "access__sweep_profiles"] as const) {
      await expect(db().$transaction((tx) => enqueue(tx, task, { tenantId: "1" } as never))).rejects.toThrow();
    }
    const s = await scene();
    const run = await createSyncRun(s.directory, "awaiting_approval");
    // A forged row: a run id that does not exist, and one whose plan waits for an owner.
    await db().$executeRaw`SELECT graphile_worker.add_job('directory__sync', ${JSON.stringify({ runId: "999999999" })}::json, max_attempts => 1)`;
    await db().$executeRaw`SELECT graphile_worker.add_job('directory__sync', ${JSON.stringify({ runId: run.id.toString() })}::json, max_attempts => 1)`;
    await runDueJobs();
    expect((await db().directorySyncRun.findUniqueOrThrow({ where: { id: run.id } })).status).toBe("awaiting_approval");
    expect(await db().user.count({ where: { tenantId: s.tenant.id, userDirectoryId: s.directory.id } })).toBe(0);
  });
});
