import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createMember, createTenant } from "../support/factories";

// The embedded cluster is created with PostgreSQL's builtin collation provider (C.UTF-8): the same code-point order
// and Unicode case mapping as the C.UTF-8 of the C library, without its conversions to wide characters on every
// comparison of a case-insensitive username or email (a seventh of the database's time in an import's apply).

describe("the embedded database's locale", () => {
  it("is C.UTF-8 of the builtin provider", async () => {
    const [database] = await db().$queryRaw<{ provider: string; locale: string | null }[]>`
      SELECT datlocprovider::text AS provider, datlocale::text AS locale FROM pg_database WHERE datname = current_database()`;
    expect(database).toEqual({ provider: "b", locale: "C.UTF-8" });
  });

  it("folds the case of letters beyond ASCII in usernames and emails, so a value that differs only by case is taken", async () => {
    const tenant = await createTenant();
    await createMember(tenant.id, { username: "zoë-ångström", email: "zoë@exämple.test" });
    const sameUsername = await createMember(tenant.id, { username: "ZOË-ÅNGSTRÖM", email: "other@example.test" }).then(
      () => null,
      (error: unknown) => error,
    );
    expect(sameUsername).not.toBeNull();
    const found = await db().user.findFirst({ where: { tenantId: tenant.id, email: "ZOË@EXÄMPLE.TEST" }, select: { username: true } });
    expect(found).toEqual({ username: "zoë-ångström" });
  });

  it("sorts names by code point, as before", async () => {
    const [row] = await db().$queryRaw<{ sorted: string[] }[]>`
      SELECT array_agg(name ORDER BY name) AS sorted FROM unnest(ARRAY['b', 'B', 'a', 'Ä', 'ä', 'Z']) AS name`;
    expect(row?.sorted).toEqual(["B", "Z", "a", "b", "Ä", "ä"]);
  });
});
