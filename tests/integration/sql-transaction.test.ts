import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { inSqlTransaction, SqlError, takesBinaryArrays } from "@/server/db/sql-transaction";
import { jsonbArray, textArray } from "@/server/db/binary-arrays";
import { asMemberConflict } from "@/server/members/member-conflicts";
import { ConflictError, databaseErrorOf, violatedUniqueIndex } from "@/server/errors";
import { planBatch } from "@/server/imports/plan-batch";
import { rowRefusal, writeMembers } from "@/server/imports/write-members";
import { createMember, createTenant } from "../support/factories";

// The import's apply batches run on a plain pg connection (server/db/sql-transaction.ts) with the same raw-SQL API
// as a Prisma transaction. What the code above it relies on: the same rows back, the same errors, all or nothing.

const TRANSACTION = { timeoutMs: 30_000 };

describe("a raw-SQL transaction on a plain connection", () => {
  it("returns rows as a Prisma transaction does, for the types the writers read", async () => {
    const query = (tx: { $queryRaw: (query: Prisma.Sql) => Promise<unknown> }) =>
      tx.$queryRaw(Prisma.sql`
        SELECT 9007199254740993::bigint AS big, ARRAY[1, 9007199254740993]::bigint[] AS bigs, 42::int AS small, 'x'::citext AS folded,
               '{"a": [1, "two"]}'::jsonb AS document, ARRAY['a', NULL, 'c']::text[] AS texts, true AS flag, NULL::bigint AS nothing,
               '2026-12-05T10:00:00Z'::timestamptz AS moment ${Prisma.empty}`);
    const plain = await inSqlTransaction((tx) => query(tx), TRANSACTION);
    const prisma = await db().$transaction((tx) => query(tx));
    expect(plain).toEqual(prisma);
    expect(plain).toEqual([
      {
        big: 9007199254740993n,
        bigs: [1n, 9007199254740993n],
        small: 42,
        folded: "x",
        document: { a: [1, "two"] },
        texts: ["a", null, "c"],
        flag: true,
        nothing: null,
        moment: new Date("2026-12-05T10:00:00Z"),
      },
    ]);
  });

  it("takes the values of a tagged template, nested fragments included, and counts the rows a statement changed", async () => {
    const tenant = await createTenant();
    const members = await Promise.all([createMember(tenant.id), createMember(tenant.id)]);
    const ids = members.map((member) => member.id);
    const condition = Prisma.sql`AND tenant_id = ${tenant.id}`;
    const changed = await inSqlTransaction((tx) => tx.$executeRaw`UPDATE users SET title = ${"O'Brien \"the\" {first}, \\ NULL"} WHERE id = ANY(${ids}::bigint[]) ${condition}`, TRANSACTION);
    expect(changed).toBe(2);
    const titles = await db().user.findMany({ where: { id: { in: ids } }, select: { title: true } });
    expect(titles.map((row) => row.title)).toEqual(["O'Brien \"the\" {first}, \\ NULL", "O'Brien \"the\" {first}, \\ NULL"]);
  });

  it("rolls back everything it wrote when a statement fails, and reports a taken username as Prisma would", async () => {
    const tenant = await createTenant();
    const taken = await createMember(tenant.id);
    const rows = [
      { rowNumber: 1, key: "fresh-one", values: { username: "fresh-one", firstName: "Fresh", lastName: "One", email: "fresh-one@example.test" } },
      { rowNumber: 2, key: taken.username.toLowerCase(), values: { username: taken.username, firstName: "Taken", lastName: "Again", email: "taken-again@example.test" } },
    ];
    const failure = await inSqlTransaction((tx) => writeMembers(tx, tenant.id, null, planBatch(rows, new Map(), "western").writes), TRANSACTION).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SqlError);
    expect(violatedUniqueIndex(failure)).toBe("users_tenant_id_username_key");
    expect(asMemberConflict(failure)).toBeInstanceOf(ConflictError);
    expect(rowRefusal(failure)).toEqual({ field: "username", message: "This username is already taken in your organisation" });
    // Neither member of the batch was written.
    expect(await db().user.count({ where: { tenantId: tenant.id } })).toBe(1);
  });

  it("writes members whose values hold every character an array literal escapes, exactly as given", async () => {
    const tenant = await createTenant();
    const awkward = ['Quote " and \\ backslash', "Braces {a,b} and, commas", "NULL", "", "Ünïcödé 名前 🎉", "semi;colon 'single'"];
    const rows = awkward.map((title, index) => ({
      rowNumber: index + 1,
      key: `awkward-${index}`,
      values: { username: `awkward-${index}`, firstName: "A", lastName: `W${index}`, email: `awkward-${index}@example.test`, title, address: title || null },
    }));
    const ids = await inSqlTransaction((tx) => writeMembers(tx, tenant.id, null, planBatch(rows, new Map(), "western").writes), TRANSACTION);
    expect(ids.size).toBe(awkward.length);
    for (const [rowNumber, id] of ids) {
      const member = await db().user.findUniqueOrThrow({ where: { id }, select: { title: true, address: true, username: true } });
      expect(member).toEqual({ title: awkward[rowNumber - 1], address: awkward[rowNumber - 1] || null, username: `awkward-${rowNumber - 1}` });
    }
  });

  it("ends a statement that runs past its time, and the transaction with it", async () => {
    const tenant = await createTenant();
    const member = await createMember(tenant.id);
    const failure = await inSqlTransaction(
      async (tx) => {
        await tx.$executeRaw`UPDATE users SET title = 'changed' WHERE id = ${member.id}`;
        await tx.$queryRaw`SELECT pg_sleep(2)`;
      },
      { timeoutMs: 100 },
    ).then(
      () => null,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(SqlError);
    expect((failure as SqlError).code).toBe("57014");
    expect(databaseErrorOf(failure)?.sqlState).toBe("57014");
    expect((await db().user.findUniqueOrThrow({ where: { id: member.id } })).title).not.toBe("changed");
  });

  it("sends text and jsonb arrays in binary form that both kinds of transaction read back exactly", async () => {
    const texts = ['Quote " and \\ backslash', "{a,b}", "NULL", "", "Ünïcödé 名前 🎉", null];
    const documents = [JSON.stringify({ before: null, after: 'O"Brien' }), null, "[]"];
    const query = (tx: { $queryRaw: (query: Prisma.Sql) => Promise<unknown> }) =>
      tx.$queryRaw(Prisma.sql`
        SELECT ${textArray(texts)}::text[] AS texts, ${textArray(["Ada", "ADA"])}::text[]::citext[] = ARRAY['ada', 'ada']::citext[] AS folded,
               ${jsonbArray(documents)}::jsonb[] AS documents, cardinality(${textArray([])}::text[]) AS empty`);
    const expected = [{ texts, folded: true, documents: [{ before: null, after: 'O"Brien' }, null, []], empty: 0 }];
    expect(await inSqlTransaction((tx) => query(tx), TRANSACTION)).toEqual(expected);
    expect(await db().$transaction((tx) => query(tx))).toEqual(expected);
  });

  it("gives binary arrays only to a plain connection's transaction, never to Prisma (which would carry them as base64)", async () => {
    expect(await inSqlTransaction((tx) => Promise.resolve(takesBinaryArrays(tx)), TRANSACTION)).toBe(true);
    expect(await db().$transaction((tx) => Promise.resolve(takesBinaryArrays(tx)))).toBe(false);
    expect(takesBinaryArrays(db())).toBe(false);
  });
});

describe("databaseErrorOf: one reading of a database error, whoever reported it", () => {
  const failureOf = (attempt: Promise<unknown>) =>
    attempt.then(
      () => null,
      (error: unknown) => error,
    );

  it("reads the same SQLSTATE, kind and constraint from Prisma's model and raw queries and from a plain connection", async () => {
    const tenant = await createTenant();
    const taken = await createMember(tenant.id);
    const insertTaken = Prisma.sql`INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name) VALUES (${tenant.id}, ${taken.username}, 'x@example.test', 'A', 'B', 'A B')`;
    const model = await failureOf(db().user.create({ data: { tenantId: tenant.id, username: taken.username, email: "y@example.test", firstName: "A", lastName: "B", fullName: "A B" } }));
    const raw = await failureOf(db().$executeRaw(insertTaken));
    const plain = await failureOf(inSqlTransaction((tx) => tx.$executeRaw(insertTaken), TRANSACTION));
    for (const failure of [model, raw, plain]) {
      expect(databaseErrorOf(failure)).toMatchObject({ kind: "unique", constraint: "users_tenant_id_username_key" });
      expect(violatedUniqueIndex(failure)).toBe("users_tenant_id_username_key");
    }
    expect(databaseErrorOf(raw)?.sqlState).toBe("23505");
    expect(databaseErrorOf(plain)?.sqlState).toBe("23505");

    // A foreign key: a main department the member is not in.
    const department = await db().department.create({ data: { tenantId: tenant.id, name: "Elsewhere" } });
    const setMain = Prisma.sql`UPDATE users SET main_department_id = ${department.id} WHERE id = ${taken.id}`;
    const foreignModel = await failureOf(db().user.update({ where: { id: taken.id }, data: { mainDepartmentId: department.id } }));
    const foreignRaw = await failureOf(db().$executeRaw(setMain));
    const foreignPlain = await failureOf(inSqlTransaction((tx) => tx.$executeRaw(setMain), TRANSACTION));
    for (const failure of [foreignModel, foreignRaw, foreignPlain]) {
      expect(databaseErrorOf(failure)).toMatchObject({ kind: "foreign_key", constraint: "users_main_department_fkey" });
    }
    expect(databaseErrorOf(foreignPlain)?.sqlState).toBe("23503");
  });

  it("reads PL/pgSQL's own SQLSTATE (an archived member's trigger) from a plain connection: the row's refusal says why", async () => {
    const tenant = await createTenant();
    const archived = await createMember(tenant.id, { state: "archived" });
    const failure = await failureOf(inSqlTransaction((tx) => tx.$executeRaw`UPDATE users SET title = 'Changed' WHERE id = ${archived.id}`, TRANSACTION));
    expect(databaseErrorOf(failure)?.sqlState).toBe("P0001");
    expect(rowRefusal(failure)).toEqual({ field: null, message: "This member is archived: unarchive them before an import changes them" });
  });

  it("is null for what is not a database's refusal: a plain Error, a string, null, a lookalike without an SQLSTATE", () => {
    for (const other of [new Error("23505"), "23505", null, undefined, { code: "ECONNREFUSED" }, { code: "P2025", meta: {} }]) {
      expect(databaseErrorOf(other)).toBeNull();
      expect(violatedUniqueIndex(other)).toBeNull();
      expect(rowRefusal(other)).toBeNull();
    }
  });
});
