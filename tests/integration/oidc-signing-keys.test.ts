import { describe, expect, it } from "vitest";
import { importJWK, jwtVerify, SignJWT } from "jose";
import { db } from "@/server/db/client";
import { currentSigningKey, ensureSigningKeys, loadSigningKeys, RETIRED_KEY_PUBLISHED_MS, rotateSigningKeys } from "@/server/oidc/signing-keys";

// The installation's OpenID signing keys: made once, sealed at rest, the next
// key published before it signs, rotation without a gap.

describe("OpenID signing keys", () => {
  it("are made once even when several processes start at the same moment", async () => {
    await Promise.all(Array.from({ length: 5 }, () => ensureSigningKeys(db())));
    const rows = await db().oidcSigningKey.findMany();
    expect(rows.map((row) => row.status).sort()).toEqual(["current", "next"]);
    for (const row of rows) {
      // Only the public half is readable in the database.
      expect(JSON.stringify(row.publicJwk)).not.toContain('"d"');
      expect(row.privateJwkSealed).not.toContain(JSON.stringify((row.publicJwk as { n: string }).n));
    }
  });

  it("sign with the current key, the next one published behind it", async () => {
    const keys = await loadSigningKeys(db());
    expect(keys.map((key) => key.status).slice(0, 2)).toEqual(["current", "next"]);
    const current = await currentSigningKey(db());
    const token = await new SignJWT({ hello: "world" })
      .setProtectedHeader({ alg: current.alg, kid: current.kid })
      .sign(await importJWK(current.privateJwk, current.alg));
    const verified = await jwtVerify(token, await importJWK(current.publicJwk, current.alg));
    expect(verified.payload.hello).toBe("world");
  });

  it("rotate: the next key signs, the old one stays published for a day, a new next key appears", async () => {
    const before = await loadSigningKeys(db());
    const [oldCurrent, oldNext] = [before.find((k) => k.status === "current")!, before.find((k) => k.status === "next")!];
    const now = new Date();
    const rotated = await db().$transaction((tx) => rotateSigningKeys(tx, now));
    expect(rotated).toEqual({ activatedKid: oldNext.kid, retiredKid: oldCurrent.kid });

    const after = await loadSigningKeys(db(), now);
    expect(after[0]).toMatchObject({ kid: oldNext.kid, status: "current" });
    expect(after.find((k) => k.kid === oldCurrent.kid)?.status).toBe("retired");
    const newNext = after.find((k) => k.status === "next")!;
    expect([oldCurrent.kid, oldNext.kid]).not.toContain(newNext.kid);

    const dayLater = new Date(now.getTime() + RETIRED_KEY_PUBLISHED_MS + 1000);
    expect((await loadSigningKeys(db(), dayLater)).map((k) => k.kid)).not.toContain(oldCurrent.kid);
  });

  it("two rotations at once are two rotations in a row, never a broken pair", async () => {
    await Promise.all([db().$transaction((tx) => rotateSigningKeys(tx)), db().$transaction((tx) => rotateSigningKeys(tx))]);
    const live = await db().oidcSigningKey.findMany({ where: { status: { in: ["current", "next"] } } });
    expect(live.map((row) => row.status).sort()).toEqual(["current", "next"]);
  });
});
