import { describe, expect, it } from "vitest";
import { Prisma } from "@/server/db/generated/client";
import { prepared, preparedStatementName } from "@/server/db/prepared-statements";

// Only statements marked prepared() become named prepared statements: any
// other text (dynamic filters, Prisma's own queries) stays unnamed, so no
// connection keeps a statement per variant.

describe("prepared statements", () => {
  it("names a marked statement by its text, the same name on every call, and leaves every other statement unnamed", () => {
    const statement = (value: string) => prepared(Prisma.sql`SELECT id FROM users WHERE username = ${value}`);
    const first = preparedStatementName(statement("ada"));
    expect(first).toMatch(/^tenure_[0-9a-f]{24}$/);
    expect(preparedStatementName(statement("grace"))).toBe(first);
    expect(preparedStatementName(prepared(Prisma.sql`SELECT 2`))).not.toBe(first);
    expect(preparedStatementName(Prisma.sql`SELECT id FROM users WHERE username = ${"ada"}`)).toBe("");
    expect(preparedStatementName({ sql: 'SELECT "public"."users"."id" FROM "public"."users"' })).toBe("");
  });
});
