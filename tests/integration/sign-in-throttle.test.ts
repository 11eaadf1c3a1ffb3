import type { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { addressBucket } from "@/server/auth/address-bucket";
import { deviceCookieAfterSignIn } from "@/server/auth/device-cookie";
import { RATE_LIMITS } from "@/server/auth/rate-limits";
import type { TSecurityPolicyInput } from "@/server/auth/security-policy-schemas";
import { checkSession } from "@/server/auth/sessions";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createMember, createSignedInMember, createTenant, TEST_PASSWORD } from "../support/factories";

// Issue 10, item 5: failed sign-ins by someone else throttle sign-in from
// unfamiliar devices only; the member's own device (its device cookie) still
// signs in, their sessions go on, and the throttle is visible and clearable.

type TTenant = Awaited<ReturnType<typeof createTenant>>;
const home = { ipAddress: "198.51.100.20", userAgent: "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0" };
const stranger = { ipAddress: "203.0.113.66", userAgent: "curl/8.0" };
// The strangers of each test come from addresses of their own (the per-address limit is shared by the file).
let strangers = 0;

async function setPolicy(tenantId: bigint, values: Partial<TSecurityPolicyInput>) {
  await db().tenantSecurityPolicy.upsert({ where: { tenantId }, create: { tenantId, ...values }, update: values });
}

async function attempt(tenant: TTenant, login: string, password: string, from: typeof home, cookie: string | null = null) {
  return signInWithPassword(db(), { organisation: tenant.slug, login, password }, from, new Date(), { cookie }).then(
    (result) => ({ outcome: "ok", ...result }),
    (error: unknown) => ({ outcome: (error as Error).message.split(":")[0] }),
  );
}

/** A member who signed in once from home: the browser holds their device cookie. */
async function memberWithDevice(threshold = 3) {
  const tenant = await createTenant();
  await setPolicy(tenant.id, { lockoutThreshold: threshold });
  const member = await createMember(tenant.id);
  const first = await signInWithPassword(db(), { organisation: tenant.slug, login: member.username, password: TEST_PASSWORD }, home);
  return { tenant, member, sessionId: first.sessionId, cookie: deviceCookieAfterSignIn(null, member.id) };
}

async function strangersThrottle(tenant: TTenant, login: string, times: number) {
  strangers += 1;
  for (let index = 0; index < times; index += 1) await attempt(tenant, login, `guess ${index}`, { ...stranger, ipAddress: `203.0.113.${100 + strangers}` });
}

describe("familiar and unfamiliar devices", () => {
  it("strangers' failures never end the member's sessions nor lock them, and the member's own device still signs in", async () => {
    const { tenant, member, sessionId, cookie } = await memberWithDevice();
    await strangersThrottle(tenant, member.username, 5);
    expect((await attempt(tenant, member.username, TEST_PASSWORD, stranger)).outcome).toBe("account_locked");

    expect((await checkSession(db(), sessionId)).live).toBe(true);
    expect(await db().user.findUniqueOrThrow({ where: { id: member.id } })).toMatchObject({ state: "active", locked: false });
    expect(await db().auditEvent.count({ where: { targetId: member.id, action: { contains: "lock" } } })).toBe(0);

    // The member at home, with the cookie their browser holds: signed in. From another address too (the cookie is the device).
    expect((await attempt(tenant, member.username, TEST_PASSWORD, home, cookie)).outcome).toBe("ok");
    expect((await attempt(tenant, member.username, TEST_PASSWORD, { ...home, ipAddress: "192.0.2.77" }, cookie)).outcome).toBe("ok");
    // Without it (cleared cookies, or the attacker) the throttle applies, whatever the password.
    expect((await attempt(tenant, member.username, TEST_PASSWORD, home)).outcome).toBe("account_locked");
  });

  it("refuses forged cookies and another member's cookie as unfamiliar", async () => {
    const { tenant, member, cookie } = await memberWithDevice();
    const other = await createMember(tenant.id);
    await strangersThrottle(tenant, member.username, 3);
    const forged = `${member.id}.${Date.now()}.${"A".repeat(43)}`;
    const tampered = cookie.replace(/^\d+/, String(other.id));
    for (const fake of [forged, tampered, deviceCookieAfterSignIn(null, other.id), "x".repeat(5000)]) {
      expect((await attempt(tenant, member.username, TEST_PASSWORD, home, fake)).outcome).toBe("account_locked");
    }
    // One browser shared by two members keeps both tokens.
    const shared = deviceCookieAfterSignIn(cookie, other.id);
    expect((await attempt(tenant, member.username, TEST_PASSWORD, home, shared)).outcome).toBe("ok");
  });

  it("throttles the familiar bucket on its own: a stolen cookie does not give unlimited guesses", async () => {
    const { tenant, member, cookie } = await memberWithDevice();
    for (let index = 0; index < 3; index += 1) await attempt(tenant, member.username, `wrong ${index}`, home, cookie);
    expect((await attempt(tenant, member.username, TEST_PASSWORD, home, cookie)).outcome).toBe("account_locked");
    // Strangers were not the ones who failed: the unfamiliar bucket is untouched.
    expect((await attempt(tenant, member.username, TEST_PASSWORD, stranger)).outcome).toBe("ok");
  });

  it("mails the member once per throttle, saying nothing to whoever caused it", async () => {
    const { tenant, member } = await memberWithDevice();
    await strangersThrottle(tenant, member.username, 8);
    const mails = await db().outboxMail.findMany({ where: { userId: member.id, kind: "sign_in_throttled" } });
    expect(mails).toHaveLength(1);
    expect(mails[0]!.toAddress).toBe(member.email);
    expect(mails[0]!.bodyText).toContain("a device you have signed in on before can still sign in");
    // A login that matches no account gets the same answers, and nobody is mailed.
    await strangersThrottle(tenant, "no-such-member", 8);
    expect(await db().outboxMail.count({ where: { tenantId: tenant.id, kind: "sign_in_throttled" } })).toBe(1);
  });
});

describe("the throttle as admins and the member see it", () => {
  it("is readable by a procedure, cleared by an admin with an audit event, after which strangers may try again", async () => {
    const { tenant, member, sessionId } = await memberWithDevice();
    const { sessionId: adminSession } = await createSignedInMember(tenant.id, { role: "admin" });
    const admin = createCaller(await createContextForSessionId(adminSession, home));
    const self = createCaller(await createContextForSessionId(sessionId, home));
    expect(await admin.security.signInThrottle({ memberId: member.id.toString() })).toEqual({ unfamiliarUntil: null, familiarUntil: null });

    await strangersThrottle(tenant, member.username, 3);
    const throttle = await admin.security.signInThrottle({ memberId: member.id.toString() });
    expect(throttle.unfamiliarUntil?.getTime()).toBeGreaterThan(Date.now());
    expect(throttle.familiarUntil).toBeNull();
    expect(await self.security.mySignInThrottle()).toEqual(throttle);

    expect(await admin.security.clearSignInThrottle({ memberId: member.id.toString() })).toEqual({ cleared: true });
    expect(await admin.security.signInThrottle({ memberId: member.id.toString() })).toEqual({ unfamiliarUntil: null, familiarUntil: null });
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: member.id, action: "member.sign_in_throttle_cleared" } });
    expect(event.changes).toMatchObject({ unfamiliarThrottledUntil: { after: null } });
    // The failures before the clear count no more: a wrong password is just wrong, the right one signs in.
    expect((await attempt(tenant, member.username, "still wrong", stranger)).outcome).toBe("invalid_credentials");
    expect((await attempt(tenant, member.username, TEST_PASSWORD, stranger)).outcome).toBe("ok");
    expect(await admin.security.clearSignInThrottle({ memberId: member.id.toString() })).toEqual({ cleared: false });
  });

  it("lets only an owner clear an owner's throttle, and no plain member clear anyone's", async () => {
    const tenant = await createTenant();
    await setPolicy(tenant.id, { lockoutThreshold: 3 });
    const { member: owner } = await createSignedInMember(tenant.id, { role: "owner" });
    const { sessionId: adminSession } = await createSignedInMember(tenant.id, { role: "admin" });
    const { sessionId: memberSession } = await createSignedInMember(tenant.id);
    await strangersThrottle(tenant, owner.username, 3);
    const admin = createCaller(await createContextForSessionId(adminSession, home));
    const plain = createCaller(await createContextForSessionId(memberSession, home));
    const refused = await admin.security.clearSignInThrottle({ memberId: owner.id.toString() }).catch((error: unknown) => error);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");
    const notAdmin = await plain.security.clearSignInThrottle({ memberId: owner.id.toString() }).catch((error: unknown) => error);
    expect((notAdmin as TRPCError).code).toBe("FORBIDDEN");
    expect((await admin.security.signInThrottle({ memberId: owner.id.toString() })).unfamiliarUntil).not.toBeNull();
  });
});

describe("the per-address limit and IPv6", () => {
  it("buckets IPv6 by /64, IPv4 by address, IPv4-mapped IPv6 as IPv4", () => {
    expect(addressBucket("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:DB8:1:2::1")).toBe("2001:db8:1:2::/64");
    expect(addressBucket("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(addressBucket("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    expect(addressBucket("::ffff:192.0.2.9")).toBe("192.0.2.9");
    expect(addressBucket("192.0.2.9")).toBe("192.0.2.9");
    expect(addressBucket("not an address")).toBeNull();
    expect(addressBucket(null)).toBeNull();
  });

  it("counts every address of one IPv6 /64 together, and other /64s apart", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    for (let index = 0; index < RATE_LIMITS.perAddress.attempts; index += 1) {
      await attempt(tenant, `user-${index}`, "guess", { ipAddress: `2001:db8:77:1:${index.toString(16)}::1`, userAgent: "curl/8.0" });
    }
    const hopped = await attempt(tenant, member.username, TEST_PASSWORD, { ipAddress: "2001:db8:77:1:ffff:ffff:ffff:fffe", userAgent: "curl/8.0" });
    expect(hopped.outcome).toBe("rate_limited");
    expect((await attempt(tenant, member.username, TEST_PASSWORD, { ipAddress: "2001:db8:77:2::1", userAgent: "curl/8.0" })).outcome).toBe("ok");
  });

  it("counts an IPv4-mapped IPv6 address with its IPv4 address", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    for (let index = 0; index < RATE_LIMITS.perAddress.attempts; index += 1) {
      await attempt(tenant, `user-${index}`, "guess", { ipAddress: index % 2 ? "192.0.2.123" : "::ffff:192.0.2.123", userAgent: "curl/8.0" });
    }
    expect((await attempt(tenant, member.username, TEST_PASSWORD, { ipAddress: "192.0.2.123", userAgent: "curl/8.0" })).outcome).toBe("rate_limited");
  });
});
