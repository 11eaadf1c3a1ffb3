import { readFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { checkImportRow } from "@/server/imports/import-row";
import { detectPreset, headerFingerprint, presetMapping, type TMappingPreset } from "@/server/imports/mapping-presets";
import { ZImportMapping, type TImportMapping } from "@/server/imports/mapping-schemas";
import { applyTransform, splitDisplayName, statusOf } from "@/server/imports/mapping-transforms";
import { openImportFile, type TSourceRecord } from "@/server/imports/read-records";

// Issue 16 item 5: the presets of the systems organisations leave, each read
// from a sample shaped like that system's real export, and the transforms.

const sample = (name: string) => readFileSync(path.join(import.meta.dirname, "../support/migration-exports", name), "utf8");

const bytesOf = (text: string) => Readable.from([Buffer.from(text, "utf8")]);

/** The file's columns (as the mapping step lists them), then its records read through a mapping. */
async function columnsOf(text: string): Promise<string[]> {
  const probe = await openImportFile(bytesOf(text), { mapping: { sourceName: "probe", entries: [] } });
  for await (const record of probe.records) void record;
  return probe.columns.header;
}

async function recordsOf(text: string, mapping: TImportMapping): Promise<TSourceRecord[]> {
  const file = await openImportFile(bytesOf(text), { mapping });
  const records: TSourceRecord[] = [];
  for await (const record of file.records) records.push(record);
  return records;
}

async function presetRows(file: string, preset: TMappingPreset) {
  const text = sample(file);
  const columns = await columnsOf(text);
  expect(detectPreset(columns)).toBe(preset);
  const mapping = ZImportMapping.parse(presetMapping(preset, columns));
  const records = await recordsOf(text, mapping);
  return records.map((record) => ({ checked: checkImportRow(record.cells, null), sourceStatus: record.sourceStatus, problem: record.problem }));
}

describe("migration presets, one realistic export each", () => {
  it("Microsoft Entra ID (Download users): the UPN's local part is the username, accountEnabled=False is a disabled source status, no mobile is fine", async () => {
    const rows = await presetRows("entra-users.csv", "entra");
    expect(rows.map((row) => row.problem)).toEqual([undefined, undefined, undefined]);
    expect(rows[0]!.checked.values).toMatchObject({ username: "ada.lovelace", firstName: "Ada", lastName: "Lovelace", email: "ada.lovelace@contoso.example", mobile: "+447400123401", title: "Analyst" });
    expect(rows[1]!.checked.values).toMatchObject({ username: "grace.hopper", email: "grace.hopper@contoso.example", mobile: null });
    // A national number with the usageLocation's country.
    expect(rows[2]!.checked.values).toMatchObject({ username: "alan.turing", mobile: "+447400123403", country: "GB" });
    expect(rows.map((row) => row.sourceStatus)).toEqual(["active", "disabled", "active"]);
  });

  it("Okta: login's local part, status DEPROVISIONED is disabled", async () => {
    const rows = await presetRows("okta-users.csv", "okta");
    expect(rows[0]!.checked.values).toMatchObject({ username: "ada", email: "ada@example.test", mobile: "+447400223401", country: "GB", title: "Analyst", fullName: "Ada Lovelace" });
    expect(rows[1]!.checked.values).toMatchObject({ username: "grace", mobile: null });
    expect(rows.map((row) => row.sourceStatus)).toEqual(["active", "disabled"]);
  });

  it("Google Workspace (Download users): the email gives the username and the email, Suspended is disabled", async () => {
    const rows = await presetRows("google-users.csv", "google");
    expect(rows[0]!.checked.values).toMatchObject({ username: "ada", email: "ada@example.test", firstName: "Ada", lastName: "Lovelace", mobile: "+447400323401", title: "Analyst" });
    expect(rows.map((row) => row.sourceStatus)).toEqual(["active", "disabled"]);
  });

  it("Keycloak realm export (JSON): users[] only (not the clients' users), attributes flattened, enabled=false is disabled", async () => {
    const columns = await columnsOf(sample("keycloak-realm.json"));
    expect(columns).toEqual(expect.arrayContaining(["username", "enabled", "attributes.mobile", "attributes.title", "credentials.type"]));
    const rows = await presetRows("keycloak-realm.json", "keycloak");
    expect(rows).toHaveLength(2);
    expect(rows[0]!.checked.values).toMatchObject({ username: "ada", email: "ada@keycloak.example", mobile: "+447400423401", title: "Analyst" });
    expect(rows[1]!.checked.values).toMatchObject({ username: "grace", email: "grace@keycloak.example" });
    expect(rows.map((row) => row.sourceStatus)).toEqual(["active", "disabled"]);
  });

  it("Tenure's own export is recognised as no other system (it shares username, enabled, firstName with Keycloak)", () => {
    expect(detectPreset(["username", "firstName", "lastName", "email", "mobile", "enabled", "state", "country"])).toBeNull();
    expect(detectPreset(["name", "phone"])).toBeNull();
  });

  it("the same columns in another order or case give the same fingerprint, other columns another", () => {
    expect(headerFingerprint(["mail", "userPrincipalName"])).toBe(headerFingerprint(["UserPrincipalName ", "MAIL"]));
    expect(headerFingerprint(["mail", "userPrincipalName"])).not.toBe(headerFingerprint(["mail", "upn"]));
  });

  it("a mapped column the file lacks is a file error, not silently blank", async () => {
    const mapping = { sourceName: "Entra", entries: [{ source: "userPrincipalName", target: "username", transform: "upnLocalPart" }, { source: "mobile phone", target: "mobile", transform: "none" }] } as const;
    await expect(recordsOf(sample("entra-users.csv"), ZImportMapping.parse(mapping))).rejects.toThrow(/the column “mobile phone”/);
  });
});

describe("transforms", () => {
  it("splits display names, family name last or first with a comma", () => {
    expect(splitDisplayName("Ada King Lovelace")).toEqual({ given: "Ada King", family: "Lovelace" });
    expect(splitDisplayName("Lovelace, Ada")).toEqual({ given: "Ada", family: "Lovelace" });
    expect(splitDisplayName("  Cher ")).toEqual({ given: "Cher", family: "" });
    expect(applyTransform("Grace  Hopper", "splitDisplayNameLast")).toBe("Hopper");
  });

  it("takes the local part of a UPN, trims, and leaves a value without @", () => {
    expect(applyTransform(" ada@contoso.com ", "upnLocalPart")).toBe("ada");
    expect(applyTransform("ada", "upnLocalPart")).toBe("ada");
    expect(applyTransform(42, "none")).toBe(42);
  });

  it("reads statuses of every system, and refuses an unknown one", () => {
    expect([true, "True", "ACTIVE", "Active", "enabled", "STAGED"].map(statusOf)).toEqual(Array(6).fill("active"));
    expect([false, "FALSE", "SUSPENDED", "Suspended", "DEPROVISIONED", "disabled"].map(statusOf)).toEqual(Array(6).fill("disabled"));
    expect(statusOf("")).toBeNull();
    expect(statusOf("maybe")).toBeUndefined();
  });
});

describe("the mapping schema", () => {
  const entry = (target: string, transform = "none") => ({ source: `col-${target}`, target, transform });
  const parse = (entries: unknown[]) => ZImportMapping.safeParse({ sourceName: "Somewhere", entries });

  it("refuses targets an import may not write (status, password), duplicate targets, and a mapping without username", () => {
    for (const target of ["status", "state", "password", "id", "tenantId"]) {
      const result = parse([entry("username"), entry(target)]);
      expect(result.success, target).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/Not a field an import writes/);
    }
    expect(parse([entry("username"), entry("email"), { ...entry("email"), source: "other" }]).error!.issues[0]!.message).toMatch(/Two columns give email/);
    expect(parse([entry("email")]).error!.issues[0]!.message).toMatch(/Map a column to username/);
    expect(parse([entry("username"), entry("sourceStatus")]).success).toBe(false);
    expect(parse([entry("username"), entry("sourceStatus", "boolToStatus")]).success).toBe(true);
    expect(parse([entry("username"), entry("email", "boolToStatus")]).success).toBe(false);
  });

  it("refuses a huge mapping", () => {
    expect(parse(Array.from({ length: 61 }, (_, index) => ({ source: `c${index}`, target: "username" }))).success).toBe(false);
    expect(parse([{ source: "x".repeat(1_000_000), target: "username" }]).success).toBe(false);
  });
});
