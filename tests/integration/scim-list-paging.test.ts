import { describe, expect, it } from "vitest";
import { db } from "@/server/db/client";
import { createTenant } from "../support/factories";
import { createScimToken, entraUser, scimClient } from "../support/scim-client";

// Issue 16, speed: a client paging GET /Users in order continues by keyset
// (where the last page ended), not OFFSET. Every member is listed exactly
// once across the pages, even with members added or removed between pages.

type TPage = { totalResults: number; startIndex: number; itemsPerPage: number; Resources: { id: string; userName: string }[] };

async function scene(members: number) {
  const tenant = await createTenant();
  const token = await createScimToken(tenant.id, { name: "Okta" });
  const scim = scimClient(token.token);
  const ids: string[] = [];
  for (let index = 0; index < members; index += 1) ids.push((await scim.post("/Users", entraUser())).body.id as string);
  return { tenant, token, scim, ids };
}

describe("GET /Users paged in order", () => {
  it("lists every member exactly once, continuing each page where the last ended, even when members are added and removed between pages", async () => {
    const { token, scim, ids } = await scene(25);
    const seen: string[] = [];
    const first = (await scim.get("/Users?startIndex=1&count=10")).body as unknown as TPage;
    seen.push(...first.Resources.map((resource) => resource.id));
    expect(first).toMatchObject({ totalResults: 25, startIndex: 1, itemsPerPage: 10 });

    // Between pages: one member of the first page leaves, one joins.
    expect((await scim.delete(`/Users/${seen[3]!}`)).status).toBe(204);
    const joined = (await scim.post("/Users", entraUser())).body.id as string;

    for (let startIndex = 11; ; startIndex += 10) {
      const page = (await scim.get(`/Users?startIndex=${startIndex}&count=10`)).body as unknown as TPage;
      expect(page.startIndex).toBe(startIndex);
      seen.push(...page.Resources.map((resource) => resource.id));
      if (page.Resources.length < 10) break;
    }
    // OFFSET would have skipped the member that moved up into page one's place.
    expect(seen).toEqual([...ids, joined]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(await db().scimListPosition.count({ where: { apiTokenId: token.id } })).toBeGreaterThanOrEqual(3);
  });

  it("a continued page answers the count its walk's first page took (no count per page); a new walk counts afresh", async () => {
    const { scim } = await scene(12);
    const first = (await scim.get("/Users?startIndex=1&count=5")).body as unknown as TPage;
    expect(first.totalResults).toBe(12);
    await scim.post("/Users", entraUser());
    const second = (await scim.get("/Users?startIndex=6&count=5")).body as unknown as TPage;
    expect(second).toMatchObject({ totalResults: 12, itemsPerPage: 5 });
    // The member added mid-walk is still listed: the walk continues by keyset to the end.
    const third = (await scim.get("/Users?startIndex=11&count=5")).body as unknown as TPage;
    expect(third.Resources).toHaveLength(3);
    expect(((await scim.get("/Users?startIndex=1&count=5")).body as unknown as TPage).totalResults).toBe(13);
  });

  it("a filtered walk keeps its own positions; a jump to a startIndex never served, or a sortBy, answers by OFFSET as RFC 7644 reads", async () => {
    const { scim, ids } = await scene(12);
    const all = (await scim.get("/Users?count=100")).body as unknown as TPage;
    expect(all.Resources.map((resource) => resource.id)).toEqual(ids);
    const jump = (await scim.get("/Users?startIndex=5&count=3")).body as unknown as TPage;
    expect(jump.Resources.map((resource) => resource.id)).toEqual(ids.slice(4, 7));
    // The walk by 3 from 1 served 1..3; startIndex 4 continues it, and matches the OFFSET answer.
    await scim.get("/Users?startIndex=1&count=3");
    const next = (await scim.get("/Users?startIndex=4&count=3")).body as unknown as TPage;
    expect(next.Resources.map((resource) => resource.id)).toEqual(ids.slice(3, 6));

    const filter = `filter=${encodeURIComponent('userName sw "ada."')}`;
    const filtered = (await scim.get(`/Users?${filter}&startIndex=1&count=5`)).body as unknown as TPage;
    const filteredNext = (await scim.get(`/Users?${filter}&startIndex=6&count=5`)).body as unknown as TPage;
    expect([...filtered.Resources, ...filteredNext.Resources].map((resource) => resource.id)).toEqual(ids.slice(0, 10));

    const sorted = (await scim.get("/Users?startIndex=2&count=2&sortBy=userName&sortOrder=descending")).body as unknown as TPage;
    const byName = [...all.Resources].sort((a, b) => b.userName.localeCompare(a.userName)).map((resource) => resource.id);
    expect(sorted.Resources.map((resource) => resource.id)).toEqual(byName.slice(1, 3));
  });

  it("another token's positions are its own: a second client paging the same query starts from its own first page", async () => {
    const { tenant, scim, ids } = await scene(6);
    await scim.get("/Users?startIndex=1&count=3");
    const other = scimClient((await createScimToken(tenant.id)).token);
    const page = (await other.get("/Users?startIndex=4&count=3")).body as unknown as TPage;
    expect(page.Resources.map((resource) => resource.id)).toEqual(ids.slice(3, 6));
  });
});
