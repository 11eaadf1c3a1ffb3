import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { ZodError, z } from "zod";
import { GET as exportGet } from "@/app/api/members/export/route";
import { db } from "@/server/db/client";
import { signInWithPassword } from "@/server/sign-in/sign-in-with-password";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { NO_EMAIL_NOR_MOBILE } from "@/server/members/schemas";
import { acceptInvitation, INVITATION_NO_LONGER_VALID } from "@/server/onboarding/accept-invitation";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant, uniqueMobile } from "../support/factories";
import { adminOf, csv, runDueJobs, upload } from "./member-import-helpers";

// Issue 11 item 18: an account is created "by mobile or email" (specification:
// member-lifecycle, Employee Onboarding). One of the two is enough; neither is
// a field error; a member without email gets their invitation link through the
// admin, who is shown it once.

const PASSWORD = "maple orbit velvet thunder canyon";
const CLIENT = { ipAddress: "203.0.113.9", userAgent: "vitest" };
let sequence = 0;

async function scene() {
  const tenant = await createTenant();
  const { member: admin, sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const caller = createCaller(await createContextForSessionId(sessionId));
  const account = (overrides: Record<string, string>) => {
    sequence += 1;
    return { firstName: "Mo", lastName: `Bile${sequence}`, username: `mo${sequence}`, email: "", mobile: "", country: "GB", ...overrides };
  };
  return { tenant, admin, caller, account };
}

async function fieldErrorsOf(call: Promise<unknown>) {
  const error = await call.then(
    () => expect.fail("expected the call to be refused"),
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError) || !(error.cause instanceof ZodError)) throw error;
  return { code: error.code, fieldErrors: z.flattenError(error.cause).fieldErrors };
}

describe("an account by mobile or by email", () => {
  it("onboards a member with a mobile number only: no mail, the invitation link goes to the admin, and it sets the first password for a sign-in by mobile", async () => {
    const { tenant, caller, account } = await scene();
    const mobile = uniqueMobile();
    const created = await caller.onboarding.onboard({ ...account({ mobile }), departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] });

    const member = await db().user.findUniqueOrThrow({ where: { id: BigInt(created.id) } });
    expect(member).toMatchObject({ email: null, mobile });
    expect(created.invitationSentTo).toBeNull();
    expect(created.invitationLink).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(await db().outboxMail.count({ where: { userId: BigInt(created.id) } })).toBe(0);
    const event = await db().auditEvent.findFirstOrThrow({ where: { targetId: BigInt(created.id), action: "member.onboarded" } });
    expect(event.changes).toMatchObject({ invitationHandedToAdmin: { before: null, after: true } });

    const token = created.invitationLink!.split("/invite/")[1]!;
    await acceptInvitation(db(), CLIENT, { token, newPassword: PASSWORD, confirmation: PASSWORD });
    const signedIn = await signInWithPassword(db(), { organisation: tenant.slug, login: mobile, password: PASSWORD }, CLIENT);
    expect(String(signedIn.memberId)).toBe(String(created.id));
  });

  it("re-invites a mobile-only member with a new link shown to the admin; the earlier link stops working", async () => {
    const { caller, account } = await scene();
    const created = await caller.onboarding.onboard({ ...account({ mobile: uniqueMobile() }), departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] });
    const resent = await caller.onboarding.resendInvitation({ memberId: created.id.toString() });
    expect(resent.sentTo).toBeNull();
    expect(resent.link).toMatch(/\/invite\/[A-Za-z0-9_-]{43}$/);
    expect(resent.link).not.toBe(created.invitationLink);
    const oldToken = created.invitationLink!.split("/invite/")[1]!;
    await expect(acceptInvitation(db(), CLIENT, { token: oldToken, newPassword: PASSWORD, confirmation: PASSWORD })).rejects.toThrow(INVITATION_NO_LONGER_VALID);
    expect(await db().outboxMail.count({ where: { userId: BigInt(created.id) } })).toBe(0);
    // The member page says the link was handed over, not "sent".
    expect(await caller.onboarding.invitationStatus({ memberId: created.id.toString() })).toMatchObject({ latest: { status: "open", delivery: "handed" } });
  });

  it("onboards a member with an email only: the invitation is mailed, no link is handed out", async () => {
    const { caller, account } = await scene();
    const created = await caller.onboarding.onboard({ ...account({ email: "only-mail@example.test" }), departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] });
    expect(await db().user.findUniqueOrThrow({ where: { id: BigInt(created.id) } })).toMatchObject({ email: "only-mail@example.test", mobile: null });
    expect(created.invitationLink).toBeNull();
    expect(await db().outboxMail.count({ where: { userId: BigInt(created.id), kind: "invitation", toAddress: "only-mail@example.test" } })).toBe(1);
    expect(await caller.onboarding.invitationStatus({ memberId: created.id.toString() })).toMatchObject({ latest: { status: "open", delivery: "mail" } });
  });

  it("refuses neither, on both fields, in the wizard, the new-member form and an edit", async () => {
    const { caller, account } = await scene();
    const expected = { code: "BAD_REQUEST", fieldErrors: { email: [NO_EMAIL_NOR_MOBILE], mobile: [NO_EMAIL_NOR_MOBILE] } };
    expect(await fieldErrorsOf(caller.onboarding.onboard({ ...account({}), departmentIds: [], applicationIds: [], roleIds: [], groupIds: [] }))).toEqual(expected);
    expect(await fieldErrorsOf(caller.members.create(account({})))).toEqual(expected);

    const created = await caller.members.create(account({ mobile: uniqueMobile() }));
    const row = await db().user.findUniqueOrThrow({ where: { id: BigInt(created.id) } });
    expect(row.email).toBeNull();
    const edit = { memberId: row.id.toString(), expectedLastModifiedDate: row.updatedAt, firstName: row.firstName, lastName: row.lastName, username: row.username, country: "GB", role: "member" as const };
    expect(await fieldErrorsOf(caller.members.update({ ...edit, email: "", mobile: "" }))).toEqual(expected);
    // Swapping the mobile for an email is fine.
    await caller.members.update({ ...edit, email: "swapped@example.test", mobile: "" });
    expect(await db().user.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ email: "swapped@example.test", mobile: null });
  });

  it("the database refuses a member with neither, whatever writes it", async () => {
    const { tenant } = await scene();
    await expect(
      db().$executeRaw`INSERT INTO users (tenant_id, username, first_name, last_name, full_name) VALUES (${tenant.id}, 'nobody', 'No', 'Body', 'No Body')`,
    ).rejects.toThrow(/users_email_or_mobile/);
  });

  it("lifecycle actions on a member without email send no mail and still work", async () => {
    const { tenant, admin, caller, account } = await scene();
    const created = await caller.members.create(account({ mobile: uniqueMobile() }));
    const actor = { tenantId: tenant.id, memberId: admin.id, sysAdmin: admin.sysAdmin };
    const outcome = await runLifecycleAction(db(), actor, { action: "lock", memberIds: [created.id.toString()], reason: "Lost phone" });
    expect(outcome.changed).toHaveLength(1);
    expect(await db().outboxMail.count({ where: { userId: BigInt(created.id) } })).toBe(0);
  });

  it("imports a new member with only a mobile or only an email, refuses a row with neither, and an export of them imports back unchanged", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const file = csv([
      ["username", "firstName", "lastName", "email", "mobile", "country"],
      ["bymobile", "By", "Mobile", "", "+447400559901", "GB"],
      ["bymail", "By", "Mail", "bymail@import.test", "", "GB"],
      ["bynothing", "By", "Nothing", "", "", "GB"],
    ]);
    const dryRun = (await upload(cookie, file)).summary;
    expect(dryRun.firstErrors.map((error) => [error.rowNumber, error.field, error.message])).toEqual([[3, "email", NO_EMAIL_NOR_MOBILE]]);
    await caller.imports.start({ importId: dryRun.id });
    await runDueJobs();
    expect(await db().user.findFirstOrThrow({ where: { tenantId: tenant.id, username: "bymobile" } })).toMatchObject({ email: null, mobile: "+447400559901" });
    expect(await db().user.findFirstOrThrow({ where: { tenantId: tenant.id, username: "bymail" } })).toMatchObject({ email: "bymail@import.test", mobile: null });

    const exported = await (await exportGet(new Request("http://localhost:3000/api/members/export?format=csv", { headers: { cookie } }))).text();
    const again = (await upload(cookie, exported, "export.csv")).summary;
    expect(again.firstErrors).toEqual([]);
    await caller.imports.start({ importId: again.id });
    await runDueJobs();
    expect(await caller.imports.get({ importId: again.id })).toMatchObject({ createdCount: 0, updatedCount: 0, failedCount: 0 });
  });
});
