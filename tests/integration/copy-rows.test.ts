import { describe, expect, it } from "vitest";
import { bulkPool, copyRows, inBulkTransaction } from "@/server/db/copy-rows";
import { STAGE_BATCH_ROWS } from "@/server/imports/limits";
import { db } from "@/server/db/client";
import { createTenant } from "../support/factories";
import { HEADER, adminOf, memberRow, upload } from "./member-import-helpers";

// COPY ... FROM STDIN through pg's own query interface (server/db/copy-rows.ts):
// the dry run stages its rows with it. Every awkward value must arrive exactly,
// a refused value must fail the whole batch and leave the connection usable.

const AWKWARD = [
  'double "quotes" and \'single\'',
  "commas, semicolons; and | pipes",
  "a\ttab",
  "a\nnewline and a\r\ncarriage return",
  "back\\slash, \\N, \\t and a trailing \\",
  "\\.",
  "",
  "unicode: Zoë, Ångström, 日本語, עברית, e\u0301 combining, 🧑‍💻 emoji",
  "null",
];

async function roundTrip(values: (string | null)[], json: object[]): Promise<{ text: string | null; doc: unknown }[]> {
  return inBulkTransaction(async (client) => {
    await client.query("CREATE TEMP TABLE copied (n int, text varchar(200), doc jsonb) ON COMMIT DROP");
    const written = await copyRows(
      client,
      "copied",
      ["n", "text", "doc"],
      values.map((value, index) => [index, value, json[index] ?? null]),
    );
    expect(written).toBe(values.length);
    return (await client.query<{ text: string | null; doc: unknown }>("SELECT text, doc FROM copied ORDER BY n")).rows;
  });
}

describe("COPY rows", () => {
  it("writes quotes, commas, tabs, newlines, backslashes, COPY's own markers, empty text and unicode exactly, and null as NULL", async () => {
    const values = [...AWKWARD, null];
    const docs = values.map((value) => ({ value, nested: { list: [value, 1, true, null] } }));
    const rows = await roundTrip(values, docs);
    expect(rows.map((row) => row.text)).toEqual(values);
    expect(rows.map((row) => row.doc)).toEqual(docs);
  });

  it("refuses a NUL character: nothing of the batch is written and the pool still works", async () => {
    await expect(roundTrip(["fine", "bad\0value"], [])).rejects.toThrow(/NUL/);
    const { rows } = await bulkPool().query<{ ok: number }>("SELECT 1 AS ok");
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it("passes on the database's refusal (a value too long for its column) and rolls the batch back", async () => {
    await expect(roundTrip(["fine", "x".repeat(201)], [])).rejects.toThrow(/too long/);
    expect(await roundTrip(["after"], [])).toEqual([{ text: "after", doc: null }]);
  });

  it("streams a batch far larger than one chunk (every row arrives, in order)", async () => {
    const values = Array.from({ length: 30_000 }, (_, index) => `row ${index} ${"·".repeat(index % 40)}\t${index}`);
    const rows = await roundTrip(values, []);
    expect(rows).toHaveLength(30_000);
    expect(rows[0]!.text).toBe(values[0]);
    expect(rows[29_999]!.text).toBe(values[29_999]);
  });
});

describe("the dry run's staging through COPY", () => {
  it("stages awkward CSV cells as the checks read them: quoted commas, quotes, backslashes and unicode kept, control characters in names refused", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const file = [
      "username,firstName,lastName,email,mobile,country,title,address",
      'zoe,Zoë,"O""Brien, Jr.",zoe@copy.test,+447400551001,GB,"Head of \\ backslashes","1 Rue de l\'Été, Paris"',
      'kenji,健二,山田,kenji@copy.test,+447400551002,GB,"エンジニア 🧑‍💻","東京"',
      'tab,"A\tB",Tabbed,tab@copy.test,+447400551003,GB,,',
      'newline,Ada,"Line\nBreak",newline@copy.test,+447400551004,GB,,',
    ].join("\r\n");
    const { status, summary } = await upload(cookie, file);
    expect(status).toBe(200);
    const staged = await db().memberImportRow.findMany({ where: { importId: BigInt(summary.id) }, orderBy: { rowNumber: "asc" } });
    expect(staged.map((row) => row.username)).toEqual(["zoe", "kenji", "tab", "newline"]);
    expect(staged[0]!.values).toMatchObject({ firstName: "Zoë", lastName: "O\"Brien, Jr.", title: "Head of \\ backslashes", address: "1 Rue de l'Été, Paris" });
    expect(staged[1]!.values).toMatchObject({ firstName: "健二", lastName: "山田", title: "エンジニア 🧑‍💻", address: "東京" });
    // The field rules refuse control characters in names; the report names the row and the field.
    const errors = await db().memberImportError.findMany({ where: { importId: BigInt(summary.id) }, orderBy: { rowNumber: "asc" } });
    expect(errors.map((error) => [error.rowNumber, error.field])).toEqual([
      [3, "firstName"],
      [4, "lastName"],
    ]);
    expect(summary).toMatchObject({ status: "validated", totalRows: 4, validRows: 2, errorRows: 2 });
  });

  // The file breaks off right after a full batch: that batch is still being written when the dry run fails.
  it("a file that breaks off after several batches leaves no staged row behind, even with a batch still being written", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    const rows = Array.from({ length: 2 * STAGE_BATCH_ROWS }, (_, index) => memberRow(`staged${index + 1}`, index + 1).join(","));
    const { summary } = await upload(cookie, [HEADER.join(","), ...rows, 'broken,"an unclosed quote'].join("\n"));
    expect(summary.status).toBe("failed_validation");
    expect(await db().memberImportRow.count({ where: { importId: BigInt(summary.id) } })).toBe(0);
    expect(await db().memberImportError.count({ where: { importId: BigInt(summary.id) } })).toBe(0);
  });

  it("stages every row at the batch edges: exactly one batch, one row more, and two batches", async () => {
    const tenant = await createTenant();
    const { cookie } = await adminOf(tenant.id);
    for (const count of [STAGE_BATCH_ROWS, STAGE_BATCH_ROWS + 1, 2 * STAGE_BATCH_ROWS]) {
      const rows = Array.from({ length: count }, (_, index) => memberRow(`edge${count}x${index + 1}`, index + 1).join(","));
      const { summary } = await upload(cookie, [HEADER.join(","), ...rows].join("\n"));
      expect(summary).toMatchObject({ status: "validated", totalRows: count, validRows: count, errorRows: 0 });
      const staged = await db().memberImportRow.aggregate({ where: { importId: BigInt(summary.id) }, _count: true, _min: { rowNumber: true }, _max: { rowNumber: true } });
      expect(staged).toMatchObject({ _count: count, _min: { rowNumber: 1 }, _max: { rowNumber: count } });
    }
  });
});
