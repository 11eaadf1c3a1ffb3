import { readFileSync } from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { POST as importPost } from "@/app/api/imports/route";
import { db } from "@/server/db/client";
import { MAPPING_HEADER } from "@/server/imports/mapping-header";
import { MAX_SAVED_MAPPINGS } from "@/server/imports/import-mappings";
import type { TImportMapping } from "@/server/imports/mapping-schemas";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { createSignedInMember, createTenant } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";
import { adminOf, runDueJobs, type TUploadedSummary } from "./member-import-helpers";

// Issue 16 item 5: migration imports. Another system's export goes through the
// mapping step (proposed from its header, previewed, adjusted, saved), the dry
// run and the apply with that mapping; members the source had disabled are
// offered as a lifecycle disable afterwards.

const sample = (name: string) => readFileSync(path.join(import.meta.dirname, "../support/migration-exports", name), "utf8");

async function uploadMapped(cookie: string, content: string, mapping: TImportMapping | string, fileName = "export.csv") {
  const header = typeof mapping === "string" ? mapping : encodeURIComponent(JSON.stringify(mapping));
  const response = await importPost(
    new Request(`http://localhost:3000/api/imports?fileName=${fileName}`, { method: "POST", body: content, headers: { cookie, [MAPPING_HEADER]: header } }),
  );
  return { status: response.status, body: (await response.json()) as TUploadedSummary & { error?: string } };
}

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => expect.fail("expected a refusal"),
    (caught: unknown) => caught,
  );
  if (!(error instanceof TRPCError)) throw error;
  return error;
}

describe("migration imports", () => {
  it("an Entra ID export: proposed mapping, adjusted preview, dry run, apply, then the offer to disable the member Entra had disabled", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    // As a spreadsheet writes it: no newline after the last row, which is previewed too.
    const file = sample("entra-users.csv").trimEnd();

    const proposal = await caller.imports.previewMapping({ sample: file });
    expect(proposal.origin).toEqual({ kind: "preset", preset: "entra" });
    expect(proposal.mapping.sourceName).toBe("Microsoft Entra ID");
    expect(proposal.columns).toContain("userPrincipalName");
    expect(proposal.rows.map((row) => row.values?.username)).toEqual(["ada.lovelace", "grace.hopper", "alan.turing"]);
    // Departments are empty in this file; a member without a mobile is fine when they have an email.
    expect(proposal.rows.flatMap((row) => row.problems)).toEqual([]);

    // The admin changes one column: the names from the display name instead of givenName/surname.
    const adjusted: TImportMapping = {
      ...proposal.mapping,
      entries: proposal.mapping.entries
        .filter((entry) => entry.target !== "firstName" && entry.target !== "lastName")
        .concat([
          { source: "displayName", target: "firstName", transform: "splitDisplayNameFirst" },
          { source: "displayName", target: "lastName", transform: "splitDisplayNameLast" },
        ]),
    };
    const preview = await caller.imports.previewMapping({ sample: file, mapping: adjusted });
    expect(preview.rows[1]!.values).toMatchObject({ firstName: "Grace", lastName: "Hopper", mobile: null });
    expect(preview.rows[1]!.sourceStatus).toBe("disabled");

    const dryRun = await uploadMapped(cookie, file, adjusted, "entra.csv");
    expect(dryRun.status).toBe(200);
    expect(dryRun.body).toMatchObject({ status: "validated", totalRows: 3, validRows: 3, errorRows: 0, missingColumns: [], sourceName: "Microsoft Entra ID" });
    expect(dryRun.body.ignoredColumns.map((column) => column.column)).toContain("objectId");
    await caller.imports.start({ importId: dryRun.body.id });
    await runDueJobs();

    const members = await db().user.findMany({ where: { tenantId: tenant.id, username: { in: ["ada.lovelace", "grace.hopper", "alan.turing"] } }, orderBy: { username: "asc" } });
    expect(members.map((member) => [member.username, member.email, member.mobile, member.state])).toEqual([
      ["ada.lovelace", "ada.lovelace@contoso.example", "+447400123401", expect.any(String)],
      ["alan.turing", "alan.turing@contoso.example", "+447400123403", expect.any(String)],
      ["grace.hopper", "grace.hopper@contoso.example", null, expect.any(String)],
    ]);
    const grace = members.find((member) => member.username === "grace.hopper")!;
    expect(grace.state).not.toBe("disabled");

    const applied = await caller.imports.get({ importId: dryRun.body.id });
    expect(applied).toMatchObject({ status: "completed", createdCount: 3, disabledInSource: { sourceName: "Microsoft Entra ID", count: 1 } });

    // Twice at once: one disable, with its receipt; the second finds nothing left to do.
    // 50 at once: one disable, with its receipt; the rest find nothing left to do.
    const burst = await Promise.all(Array.from({ length: 50 }, () => caller.imports.disableFromSource({ importId: dryRun.body.id })));
    expect(burst.reduce((sum, result) => sum + result.disabled, 0)).toBe(1);
    expect(await db().user.findUniqueOrThrow({ where: { id: grace.id } })).toMatchObject({ state: "disabled", disableReason: "Disabled in Microsoft Entra ID (imported from entra.csv)" });
    expect(await db().lifecycleReceipt.count({ where: { userId: grace.id } })).toBe(1);
    expect((await caller.imports.get({ importId: dryRun.body.id })).disabledInSource).toEqual({ sourceName: "Microsoft Entra ID", count: 0 });
  });

  it("a Keycloak realm export (JSON): users[] through the proposed mapping, attributes.mobile flattened, enabled=false offered", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const file = sample("keycloak-realm.json");
    const proposal = await caller.imports.previewMapping({ sample: file });
    expect(proposal.origin).toEqual({ kind: "preset", preset: "keycloak" });
    expect(proposal.format).toBe("json");

    const dryRun = await uploadMapped(cookie, file, proposal.mapping, "realm-export.json");
    expect(dryRun.body).toMatchObject({ status: "validated", format: "json", totalRows: 2, validRows: 2 });
    await caller.imports.start({ importId: dryRun.body.id });
    await runDueJobs();
    const ada = await db().user.findFirstOrThrow({ where: { tenantId: tenant.id, username: "ada" } });
    expect(ada).toMatchObject({ email: "ada@keycloak.example", mobile: "+447400423401", title: "Analyst", source: "import" });
    expect((await caller.imports.get({ importId: dryRun.body.id })).disabledInSource).toEqual({ sourceName: "Keycloak", count: 1 });
  });

  it("Tenure's own columns need no mapping; an unknown system's columns are mapped by the admin, starting from the names Tenure knows", async () => {
    const tenant = await createTenant();
    const { caller } = await adminOf(tenant.id);
    const own = await caller.imports.previewMapping({ sample: "username,firstName,lastName,email,state\nada,Ada,Lovelace,ada@own.test,active\n" });
    expect(own.origin).toEqual({ kind: "specification" });
    const unknown = await caller.imports.previewMapping({ sample: "Employee Number,username,Email,Full Legal Name\n7,ada,ada@hr.test,Ada Lovelace\n" });
    expect(unknown.origin).toEqual({ kind: "unrecognised" });
    expect(unknown.mapping.entries.map((entry) => [entry.source, entry.target])).toEqual([["username", "username"], ["Email", "email"]]);
    expect(unknown.rows[0]!.problems).toEqual([]);
  });

  it("a saved mapping is proposed first for a file with the same columns, is audited, and is deleted only within its organisation", async () => {
    const tenant = await createTenant();
    const { caller } = await adminOf(tenant.id);
    const file = sample("okta-users.csv");
    const proposal = await caller.imports.previewMapping({ sample: file });
    expect(proposal.origin).toEqual({ kind: "preset", preset: "okta" });
    const mapping = { ...proposal.mapping, sourceName: "Okta (old tenant)", entries: proposal.mapping.entries.filter((entry) => entry.target !== "title") };
    const saved = await caller.imports.saveMapping({ name: "Okta people", mapping, columns: proposal.columns });

    const again = await caller.imports.previewMapping({ sample: file });
    expect(again.origin).toEqual({ kind: "saved", mappingId: saved.id, name: "Okta people" });
    expect(again.mapping.entries.map((entry) => entry.target)).not.toContain("title");
    expect(await caller.imports.mappings()).toHaveLength(1);

    const other = await createTenant();
    const outsider = await adminOf(other.id);
    expect((await refusal(outsider.caller.imports.deleteMapping({ mappingId: saved.id }))).code).toBe("NOT_FOUND");
    expect(await outsider.caller.imports.mappings()).toEqual([]);
    // Another organisation's saved mapping is never proposed for the same columns.
    expect((await outsider.caller.imports.previewMapping({ sample: file })).origin).toEqual({ kind: "preset", preset: "okta" });

    await caller.imports.deleteMapping({ mappingId: saved.id });
    const events = await db().auditEvent.findMany({ where: { tenantId: tenant.id, action: { startsWith: "members.import_mapping" } }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["members.import_mapping_saved", "members.import_mapping_deleted"]);
  });

  it("refuses a member (non-admin), a mapping to status or password, a 1 MB mapping, and another organisation's import", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const signedIn = await createSignedInMember(tenant.id, { role: "member" });
    const member = { caller: createCaller(await createContextForSessionId(signedIn.sessionId)), cookie: await sessionCookieFor(signedIn.sessionId) };
    const file = sample("entra-users.csv");
    expect((await refusal(member.caller.imports.previewMapping({ sample: file }))).code).toBe("FORBIDDEN");
    expect((await refusal(member.caller.imports.mappings())).code).toBe("FORBIDDEN");
    const proposal = await caller.imports.previewMapping({ sample: file });
    expect((await uploadMapped(member.cookie, file, proposal.mapping)).status).toBe(403);

    for (const target of ["status", "password", "state"]) {
      const forbidden = { ...proposal.mapping, entries: [...proposal.mapping.entries, { source: "accountEnabled", target, transform: "none" }] };
      expect((await refusal(caller.imports.previewMapping({ sample: file, mapping: forbidden as never }))).code).toBe("BAD_REQUEST");
      expect((await refusal(caller.imports.saveMapping({ name: "bad", mapping: forbidden as never, columns: ["a"] }))).code).toBe("BAD_REQUEST");
      const upload = await uploadMapped(cookie, file, forbidden as never);
      expect(upload.status).toBe(400);
      expect(upload.body.error).toMatch(/Not a field an import writes/);
    }

    const huge = { sourceName: "x", entries: [{ source: "x".repeat(1_000_000), target: "username", transform: "none" }] };
    expect((await refusal(caller.imports.saveMapping({ name: "huge", mapping: huge as never, columns: ["x"] }))).code).toBe("BAD_REQUEST");
    expect((await uploadMapped(cookie, file, encodeURIComponent(JSON.stringify(huge)))).status).toBe(400);
    expect((await refusal(caller.imports.previewMapping({ sample: "y".repeat(1_000_000) }))).code).toBe("BAD_REQUEST");
    expect(await db().importMapping.count({ where: { tenantId: tenant.id } })).toBe(0);

    const dryRun = await uploadMapped(cookie, file, proposal.mapping);
    await caller.imports.start({ importId: dryRun.body.id });
    await runDueJobs();
    const outsider = await adminOf((await createTenant()).id);
    expect((await refusal(outsider.caller.imports.disableFromSource({ importId: dryRun.body.id }))).code).toBe("NOT_FOUND");
    expect((await refusal(member.caller.imports.disableFromSource({ importId: dryRun.body.id }))).code).toBe("FORBIDDEN");
  });

  it("50 parallel saves never pass the cap of saved mappings, and one new name saved 50 times at once is one mapping", async () => {
    const tenant = await createTenant();
    const { caller } = await adminOf(tenant.id);
    const proposal = await caller.imports.previewMapping({ sample: sample("entra-users.csv") });
    const save = (name: string) => caller.imports.saveMapping({ name, mapping: proposal.mapping, columns: proposal.columns }).then(() => "OK", (error: { code?: string }) => error.code ?? "THREW");
    const sameName = await Promise.all(Array.from({ length: 50 }, () => save("Entra")));
    expect(sameName.every((code) => code === "OK" || code === "CONFLICT")).toBe(true);
    expect(await db().importMapping.count({ where: { tenantId: tenant.id, name: "Entra" } })).toBe(1);
    for (let index = 1; index < MAX_SAVED_MAPPINGS - 1; index += 1) await save(`kept ${index}`);
    const distinct = await Promise.all(Array.from({ length: 50 }, (_, index) => save(`burst ${index}`)));
    expect(distinct.filter((code) => code === "OK")).toHaveLength(1);
    expect(distinct.every((code) => code === "OK" || code === "CONFLICT")).toBe(true);
    expect(await db().importMapping.count({ where: { tenantId: tenant.id } })).toBe(MAX_SAVED_MAPPINGS);
  });

  it("a NUL byte, a malformed or a huge mapping header, or a malformed cookie, is refused before any import is made", async () => {
    const tenant = await createTenant();
    const { cookie, caller } = await adminOf(tenant.id);
    const file = sample("entra-users.csv");
    const proposal = await caller.imports.previewMapping({ sample: file });
    const withNul = { ...proposal.mapping, sourceName: "Entra\u0000ID" };
    for (const header of [encodeURIComponent(JSON.stringify(withNul)), "%E0%A4%A", "{not json", encodeURIComponent("x".repeat(1_000_000))]) {
      expect((await uploadMapped(cookie, file, header)).status, header.slice(0, 20)).toBe(400);
    }
    expect((await refusal(caller.imports.saveMapping({ name: "nul\u0000name", mapping: proposal.mapping, columns: proposal.columns }))).code).toBe("BAD_REQUEST");
    for (const badCookie of ["", "next-auth.session-token=garbage", `next-auth.session-token=${"x".repeat(100_000)}`, "next-auth.session-token=%00"]) {
      const response = await importPost(new Request("http://localhost:3000/api/imports?fileName=a.csv", { method: "POST", body: file, headers: { cookie: badCookie, [MAPPING_HEADER]: encodeURIComponent(JSON.stringify(proposal.mapping)) } }));
      expect(response.status, badCookie.slice(0, 30)).toBe(401);
    }
    expect(await db().memberImport.count({ where: { tenantId: tenant.id } })).toBe(0);
  });
});
