import { describe, expect, it } from "vitest";
import { GET as trpcGet } from "@/app/api/trpc/[trpc]/route";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { appRouter, createCaller } from "@/server/trpc/root";
import { enqueue } from "@/server/queue/enqueue";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { runDueJobs } from "../support/lifecycle";
import { sessionCookieFor } from "../support/session-cookie";
import { storedHoldingsCount } from "../support/access-model";

// Issue 12's surface read as an attacker: every procedure it added, each job,
// through the caller and through real HTTP requests.

/** Every procedure issue 12 added, by path (the namespaces it created and the procedures it added to older ones). */
const ADDED = Object.keys((appRouter._def as unknown as { procedures: Record<string, unknown> }).procedures).filter(
  (path) =>
    /^(accessGrants|heatmap|status|alerts)\./.test(path) ||
    ["access.can", "access.whoHas", "access.why", "access.previewRolePolicies", "audit.event"].includes(path) ||
    /^departments\.preview/.test(path),
);

type TCallable = (input: unknown) => Promise<unknown>;
const procedureOf = (caller: unknown, path: string) => path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller) as TCallable;
const codeOf = (promise: Promise<unknown>) => promise.then(() => "OK", (error: { code?: string }) => error.code ?? "THREW");

async function scene() {
  const tenant = await createTenant();
  const owner = await createSignedInMember(tenant.id, { role: "owner" });
  const admin = await createSignedInMember(tenant.id, { role: "admin" });
  const member = await createSignedInMember(tenant.id);
  const caller = async (sessionId: string | null) => createCaller(await createContextForSessionId(sessionId));
  return { tenant, owner, admin, member, asAdmin: await caller(admin.sessionId), asMember: await caller(member.sessionId), asAnonymous: await caller(null) };
}

const trpcUrl = (path: string, input: unknown) => `http://localhost:3000/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;

describe("issue 12's procedures against callers without the right", () => {
  it("lists the added procedures (the checks below are not vacuous)", () => {
    expect(ADDED.length).toBeGreaterThanOrEqual(25);
  });

  it("answer an anonymous caller UNAUTHORIZED and a plain member FORBIDDEN, whatever the input", async () => {
    const s = await scene();
    for (const path of ADDED) {
      expect(await codeOf(procedureOf(s.asAnonymous, path)({})), `${path} anonymous`).toBe("UNAUTHORIZED");
      expect(await codeOf(procedureOf(s.asMember, path)({})), `${path} member`).toBe("FORBIDDEN");
    }
  });

  it("never reach into another organisation: its member, role or department is not found, its permission simply not held", async () => {
    const s = await scene();
    const other = await createTenant();
    const stranger = await createMember(other.id);
    const theirRole = await db().role.create({ data: { tenantId: other.id, name: "Theirs" } });
    const theirDepartment = await db().department.create({ data: { tenantId: other.id, name: "Theirs" } });
    expect(await codeOf(s.asAdmin.access.why({ memberId: stranger.id.toString(), permission: "repo:write" }))).toBe("NOT_FOUND");
    expect(await s.asAdmin.access.can({ memberId: stranger.id.toString(), permission: "*:*" })).toEqual({ allowed: false });
    expect(await codeOf(s.asAdmin.access.whoHas({ subject: { kind: "role", itemId: theirRole.id.toString() } }))).toBe("NOT_FOUND");
    expect(await codeOf(s.asAdmin.accessGrants.ofDepartment({ departmentId: theirDepartment.id.toString() }))).toBe("NOT_FOUND");
    expect(await codeOf(s.asAdmin.accessGrants.preview({ change: "grantToDepartment", departmentId: theirDepartment.id.toString(), kind: "role", itemId: theirRole.id.toString(), subtree: true }))).toBe("NOT_FOUND");
    expect(await db().departmentRole.count({ where: { departmentId: theirDepartment.id } })).toBe(0);
  });

  it("a plain admin may ask about an owner (reading) but not take an owner's access away through their department", async () => {
    const s = await scene();
    const department = await db().department.create({ data: { tenantId: s.tenant.id, name: "Board" } });
    const role = await db().role.create({ data: { tenantId: s.tenant.id, name: "Director" } });
    await db().departmentMember.create({ data: { departmentId: department.id, userId: s.owner.member.id } });
    await db().departmentRole.create({ data: { departmentId: department.id, roleId: role.id } });
    expect((await s.asAdmin.access.why({ memberId: s.owner.member.id.toString(), permission: "x:y" })).allowed).toBe(false);
    const revoke = { change: "revokeFromDepartment" as const, departmentId: department.id.toString(), kind: "role" as const, itemId: role.id.toString() };
    expect(await codeOf(s.asAdmin.accessGrants.change(revoke))).toBe("FORBIDDEN");
    expect(await storedHoldingsCount(s.tenant.id, { memberId: s.owner.member.id, kind: 1, itemId: role.id })).toBe(1);
  });
});

describe("bursts", () => {
  it("50 parallel can / who-has / why and 50 parallel previews answer alike and leave nothing behind", async () => {
    const s = await scene();
    const department = await db().department.create({ data: { tenantId: s.tenant.id, name: "Platform" } });
    const role = await db().role.create({ data: { tenantId: s.tenant.id, name: "Developer" } });
    const policy = await db().policy.create({ data: { tenantId: s.tenant.id, name: "Write", permission: "repo:write" } });
    await db().rolePolicy.create({ data: { roleId: role.id, policyId: policy.id } });
    await db().departmentMember.create({ data: { departmentId: department.id, userId: s.member.member.id } });
    const before = await storedHoldingsCount(s.tenant.id);
    const events = await db().auditEvent.count({ where: { tenantId: s.tenant.id } });
    const change = { change: "grantToDepartment" as const, departmentId: department.id.toString(), kind: "role" as const, itemId: role.id.toString(), subtree: false };
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, index) =>
        [
          () => s.asAdmin.access.can({ memberId: s.member.member.id.toString(), permission: "repo:write" }),
          () => s.asAdmin.access.whoHas({ subject: { kind: "permission", permission: "repo:write" } }).then((page) => page.items.length),
          () => s.asAdmin.accessGrants.preview(change).then((preview) => preview.changes.totals),
        ][index % 3]!(),
      ),
    );
    expect(new Set(answers.filter((_, index) => index % 3 === 0).map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ allowed: false })]));
    expect(new Set(answers.filter((_, index) => index % 3 === 1))).toEqual(new Set([0]));
    expect(new Set(answers.filter((_, index) => index % 3 === 2).map((answer) => JSON.stringify(answer)))).toEqual(new Set([JSON.stringify({ gained: 2, lost: 0 })]));
    expect(await storedHoldingsCount(s.tenant.id)).toBe(before);
    expect(await db().departmentRole.count({ where: { departmentId: department.id } })).toBe(0);
    expect(await db().auditEvent.count({ where: { tenantId: s.tenant.id } })).toBe(events);
  });
});

describe("hostile bytes through real HTTP", () => {
  it("a NUL byte or 1 MB in a permission is a 400 with a message, never a 500; a malformed cookie beside the session changes nothing", async () => {
    const s = await scene();
    const session = await sessionCookieFor(s.admin.sessionId);
    for (const permission of ["repo\u0000:write", `${"x".repeat(1_000_000)}:read`]) {
      for (const path of ["access.why", "access.can"]) {
        const response = await trpcGet(new Request(trpcUrl(path, { memberId: s.member.member.id.toString(), permission }), { headers: { cookie: session } }));
        expect(response.status, `${path} ${permission.length}`).toBe(400);
        expect(await response.text()).not.toContain("Internal");
      }
    }
    for (const malformed of ["x=%", "x=%E0%A4%A", "=%", "%=%; y=%zz"]) {
      const input = { memberId: s.member.member.id.toString(), permission: "repo:write" };
      const signedIn = await trpcGet(new Request(trpcUrl("access.can", input), { headers: { cookie: `${malformed}; ${session}` } }));
      expect(signedIn.status, malformed).toBe(200);
      const alone = await trpcGet(new Request(trpcUrl("access.can", input), { headers: { cookie: malformed } }));
      expect(alone.status, malformed).toBe(401);
      const heatmap = await trpcGet(new Request(trpcUrl("heatmap.departments", {}), { headers: { cookie: `${session}; ${malformed}` } }));
      expect(heatmap.status, malformed).toBe(200);
    }
  });
});

describe("jobs", () => {
  it("refuse a malformed payload at enqueue, and a forged job row delivers nothing", async () => {
    for (const payload of [{ eventIds: [] }, { eventIds: ["1\u0000"] }, { eventIds: ["1"], extra: true }, { eventIds: Array.from({ length: 20_000 }, (_, index) => String(index + 1)) }]) {
      await expect(db().$transaction((tx) => enqueue(tx, "alerts__deliver", payload as never)), JSON.stringify(payload).slice(0, 40)).rejects.toThrow();
    }
    await expect(db().$transaction((tx) => enqueue(tx, "members__mark_offline", { tenantId: "1" } as never))).rejects.toThrow();
    const tenant = await createTenant();
    await db().$executeRaw`SELECT graphile_worker.add_job('alerts__deliver', ${JSON.stringify({ eventIds: ["x".repeat(1000)] })}::json, max_attempts => 1)`;
    await runDueJobs();
    expect(await db().notification.count({ where: { tenantId: tenant.id } })).toBe(0);
    const [failed] = await db().$queryRaw<{ attempts: number; last_error: string | null }[]>`
      SELECT attempts, last_error FROM graphile_worker.jobs WHERE task_identifier = 'alerts__deliver' ORDER BY id DESC LIMIT 1`;
    expect(failed?.attempts).toBe(1);
    expect(failed?.last_error).toBeTruthy();
  });
});
