import { randomInt, randomUUID } from "node:crypto";
import { db } from "@/server/db/client";
import { hashPassword } from "@/server/auth/password";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { createSession } from "@/server/auth/sessions";
import type { TMemberState } from "@/server/shared/member-states";

// Factories with unique names, so tests never collide on unique constraints.

let sequence = 0;
export const unique = (prefix: string) => `${prefix}-${++sequence}-${randomUUID().slice(0, 8)}`;

/** A valid UK mobile number in E.164 form (078 range, clear of the fixed 07400 numbers tests use), random each call. */
export const uniqueMobile = () => `+4478${randomInt(0, 100_000_000).toString().padStart(8, "0")}`;

/** A strong password for tests, made per run (no fixed password in the repo). */
export const TEST_PASSWORD = `pw ${randomUUID()} long enough`;
let testPasswordHash: Promise<string> | undefined;
const hashedTestPassword = () => (testPasswordHash ??= hashPassword(TEST_PASSWORD));

export async function createTenant(overrides: { slug?: string; name?: string } = {}) {
  const slug = overrides.slug ?? unique("org");
  return db().tenant.create({ data: { slug, name: overrides.name ?? `Organisation ${slug}` } });
}

export async function createMember(
  tenantId: bigint,
  overrides: { username?: string; email?: string; fullName?: string; mobile?: string; role?: keyof typeof SYSTEM_ROLE; enabled?: boolean; locked?: boolean; state?: TMemberState; password?: string | null } = {},
) {
  const username = overrides.username ?? unique("member");
  const passwordHash =
    overrides.password === null ? null : overrides.password ? await hashPassword(overrides.password) : await hashedTestPassword();
  const member = await db().user.create({
    data: {
      tenantId,
      username,
      email: overrides.email ?? `${username}@example.test`,
      firstName: "Member",
      lastName: username,
      fullName: overrides.fullName ?? `Member ${username}`,
      mobile: overrides.mobile ?? uniqueMobile(),
      passwordHash,
      sysAdmin: SYSTEM_ROLE[overrides.role ?? "member"],
      // enabled and locked are derived from the lifecycle state in the database.
      state: overrides.state ?? (overrides.enabled === false ? "disabled" : overrides.locked ? "locked" : "active"),
      ...(overrides.state === "deleted" ? { deletedAt: new Date() } : {}),
    },
  });
  // The factory always gives an email (members without one are made by the tests about them).
  return { ...member, email: member.email! };
}

/** A member with an open session: what a signed-in browser has. */
export async function createSignedInMember(tenantId: bigint, overrides: Parameters<typeof createMember>[1] = {}) {
  const member = await createMember(tenantId, overrides);
  const sessionId = await createSession(db(), { tenantId, userId: member.id, ipAddress: "127.0.0.1", userAgent: "vitest" });
  return { member, sessionId };
}
