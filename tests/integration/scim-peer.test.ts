import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScimPeer, type TScimPeer } from "../support/scim-peer";

// The test rig's SCIM peer answers as a SCIM 2.0 service provider would, so the
// provisioning tests that use it test against the protocol, not our guess of it.

let peer: TScimPeer;
beforeAll(async () => {
  peer = await startScimPeer();
});
afterAll(() => peer.stop());

const call = (method: string, path: string, body?: unknown, token = peer.token) =>
  fetch(`${peer.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/scim+json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";

describe("SCIM peer (scimmy)", () => {
  it("publishes its ServiceProviderConfig and refuses a wrong bearer token", async () => {
    const config = await call("GET", "/ServiceProviderConfig");
    expect(config.status).toBe(200);
    expect(((await config.json()) as { patch: { supported: boolean } }).patch.supported).toBe(true);
    expect((await call("GET", "/Users", undefined, "wrong")).status).toBe(401);
  });

  it("creates, finds by userName, deactivates by PATCH and deletes an account", async () => {
    const created = await call("POST", "/Users", { schemas: [USER_SCHEMA], userName: "ada@example.org", externalId: "42", active: true, name: { givenName: "Ada", familyName: "Lovelace" } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    const found = (await (await call("GET", `/Users?filter=${encodeURIComponent('userName eq "ada@example.org"')}`)).json()) as { totalResults: number; Resources: { id: string }[] };
    expect(found.totalResults).toBe(1);
    expect(found.Resources[0]!.id).toBe(id);

    const patched = await call("PATCH", `/Users/${id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", value: { active: false } }] });
    expect(patched.status).toBe(200);
    expect(peer.accounts.get(id)?.active).toBe(false);

    expect((await call("POST", "/Users", { schemas: [USER_SCHEMA], userName: "ADA@example.org" })).status).toBe(409);
    expect((await call("DELETE", `/Users/${id}`)).status).toBe(204);
    expect(peer.accounts.has(id)).toBe(false);
    expect((await call("GET", `/Users/${id}`)).status).toBe(404);
  });

  it("fails, rate-limits and logs on request", async () => {
    peer.failNext(2, 503);
    expect((await call("GET", "/Users")).status).toBe(503);
    expect((await call("GET", "/Users")).status).toBe(503);
    expect((await call("GET", "/Users")).status).toBe(200);

    peer.failNext(1, 429, 7);
    const limited = await call("GET", "/Users");
    expect([limited.status, limited.headers.get("retry-after")]).toEqual([429, "7"]);

    peer.setRateLimit(2);
    const burst = await Promise.all(Array.from({ length: 5 }, () => call("GET", "/Users")));
    expect(burst.filter((response) => response.status === 429).length).toBeGreaterThanOrEqual(3);
    peer.setRateLimit(null);

    expect(peer.requests.some((request) => request.method === "PATCH" && request.status === 200)).toBe(true);
  });

  it("pages a list: startIndex (1-based) and count, with the total of every match", async () => {
    for (let index = 0; index < 25; index += 1) {
      const id = `paged-${index}`;
      peer.accounts.set(id, { id, userName: `paged-${String(index).padStart(2, "0")}`, active: true });
    }
    const page = async (query: string) => (await (await call("GET", `/Users?${query}`)).json()) as { totalResults: number; startIndex: number; itemsPerPage: number; Resources: { id: string }[] };
    const total = peer.accounts.size;
    const first = await page("startIndex=1&count=10");
    const second = await page("startIndex=11&count=10");
    expect(first).toMatchObject({ totalResults: total, startIndex: 1, itemsPerPage: 10 });
    expect(second).toMatchObject({ totalResults: total, startIndex: 11, itemsPerPage: 10 });
    expect(new Set([...first.Resources, ...second.Resources].map((resource) => resource.id)).size).toBe(20);
    const filtered = await page(`filter=${encodeURIComponent('userName sw "paged-1"')}&startIndex=2&count=5`);
    expect(filtered).toMatchObject({ totalResults: 10, startIndex: 2, itemsPerPage: 5 });
    for (let index = 0; index < 25; index += 1) peer.accounts.delete(`paged-${index}`);
  });
});
