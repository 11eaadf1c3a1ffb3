import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { memberEditValues } from "@/components/members/member-form-values";
import { createMember, createSignedInMember, createTenant } from "../support/factories";
import { createScimToken, entraUser, scimClient } from "../support/scim-client";

// Issue 16: fields a SCIM client provisions are "Managed by <token name>" in
// the console and read-only there, as a directory's are: the identity
// provider is the source of truth and would overwrite an edit at its next
// push. The client itself keeps writing them; once it DELETEd the member, or
// its token is revoked, the member is Tenure's again.

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const callerFor = async (sessionId: string) => createCaller(await createContextForSessionId(sessionId));

async function refusal(promise: Promise<unknown>): Promise<Record<string, string[]>> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  return (error as TRPCError & { cause?: { fieldErrors?: Record<string, string[]> } }).cause?.fieldErrors ?? {};
}

async function scene() {
  const tenant = await createTenant();
  const { sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  const admin = await callerFor(sessionId);
  const token = await createScimToken(tenant.id, { name: "Entra ID production" });
  const scim = scimClient(token.token);
  const created = await scim.post("/Users", entraUser({ title: "Engineer" }));
  return { tenant, admin, token, scim, id: created.body.id as string };
}

describe("fields a SCIM client manages", () => {
  it("the member query names the token and the fields a SCIM User carries; a console member has none", async () => {
    const { tenant, admin, token, id } = await scene();
    const detail = await admin.members.get({ memberId: id });
    expect(detail.managedBy).toEqual({
      directoryId: null,
      directoryName: "Entra ID production",
      apiTokenId: token.id.toString(),
      fields: ["username", "email", "firstName", "lastName", "fullName", "mobile", "title", "landline", "country"],
      passwordByDirectory: false,
    });
    const local = await createMember(tenant.id);
    expect((await admin.members.get({ memberId: local.id.toString() })).managedBy).toBeNull();
  });

  it("the console refuses a change of a managed field naming the token, writes nothing, and saves fields SCIM does not carry", async () => {
    const { admin, id } = await scene();
    const values = memberEditValues(await admin.members.get({ memberId: id }));
    const before = await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } });
    const fields = await refusal(admin.members.update({ ...values, title: "CEO" }));
    expect(fields).toEqual({ title: ["Managed by Entra ID production: change it in the identity provider that provisions this member"] });
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).updatedAt).toEqual(before.updatedAt);
    await admin.members.update({ ...values, gender: "female" });
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).gender).toBe("female");
  });

  it("the SCIM client itself still writes them", async () => {
    const { scim, id } = await scene();
    const answer = await scim.patch(`/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "title", value: "Director" }] });
    expect(answer.status).toBe(200);
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(id) } })).title).toBe("Director");
  });

  it("a member the client DELETEd, or whose token is revoked, is editable in the console again", async () => {
    const first = await scene();
    await first.scim.delete(`/Users/${first.id}`);
    expect((await first.admin.members.get({ memberId: first.id })).managedBy).toBeNull();

    const second = await scene();
    await db().apiToken.update({ where: { id: second.token.id }, data: { revokedAt: new Date() } });
    const detail = await second.admin.members.get({ memberId: second.id });
    expect(detail.managedBy).toBeNull();
    await second.admin.members.update({ ...memberEditValues(detail), title: "CEO" });
    expect((await db().user.findUniqueOrThrow({ where: { id: BigInt(second.id) } })).title).toBe("CEO");
  });
});
