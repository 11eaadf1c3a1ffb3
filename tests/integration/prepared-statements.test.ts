import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { Prisma } from "@/server/db/generated/client";
import { preparedStatementName, queryPrepared } from "@/server/db/prepared-statements";
import { violatedUniqueIndex } from "@/server/errors";
import { createTenant } from "../support/factories";

// The hot statements that skip Prisma must read exactly as $queryRaw does
// (bigint, dates, arrays, nulls), and run as one prepared statement per text.

describe("prepared statements on Prisma's pool", () => {
  it("return rows as $queryRaw does", async () => {
    const tenant = await createTenant();
    const statement = (id: bigint) =>
      Prisma.sql`SELECT id, slug, name_order, created_at, ARRAY['a', 'b']::text[] AS list, NULL::text AS nothing, 2::int AS small FROM tenants WHERE id = ${id}`;
    const [fast] = await queryPrepared<Record<string, unknown>>(statement(tenant.id));
    const [slow] = await db().$queryRaw<Record<string, unknown>[]>(statement(tenant.id));
    expect(fast).toEqual(slow);
    expect(typeof fast!.id).toBe("bigint");
    expect(fast!.created_at).toBeInstanceOf(Date);
    // Again on a connection that has it prepared already.
    for (let index = 0; index < 3; index += 1) expect(await queryPrepared(statement(tenant.id))).toEqual([slow]);
  });

  it("name a statement by its text, whatever its values", () => {
    const statement = (value: string) => Prisma.sql`SELECT id FROM users WHERE username = ${value}`;
    expect(preparedStatementName(statement("ada"))).toBe(preparedStatementName(statement("grace")));
    expect(preparedStatementName(statement("ada"))).not.toBe(preparedStatementName(Prisma.sql`SELECT 2`));
  });

  it("tell a unique violation's constraint from any other error", async () => {
    const tenant = await createTenant();
    const duplicate = await queryPrepared(Prisma.sql`INSERT INTO tenants (slug, name) VALUES (${tenant.slug}, 'x')`).catch((error: unknown) => error);
    expect(violatedUniqueIndex(duplicate)).toBe("tenants_slug_key");
    const other = await queryPrepared(Prisma.sql`SELECT 1 / ${0}::int`).catch((error: unknown) => error);
    expect(other).toBeInstanceOf(Error);
    expect(violatedUniqueIndex(other)).toBeNull();
  });
});
