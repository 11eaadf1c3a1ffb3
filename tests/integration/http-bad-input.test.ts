import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { afterEach, describe, expect, it, vi } from "vitest";
import { GET as exportGet } from "@/app/api/members/export/route";
import { authOptions } from "@/server/sign-in/auth-options";
import { GET as trpcGet, POST as trpcPost } from "@/app/api/trpc/[trpc]/route";
import { publicProcedure, router } from "@/server/trpc/init";
import { answeringGenericErrors } from "@/server/unexpected-error";
import { createSignedInMember, createTenant } from "../support/factories";
import { sessionCookieFor } from "../support/session-cookie";

// Issue 10 item 9 through real HTTP requests: a malformed cookie is just
// ignored, and an unplanned error reaches the client as a generic sentence with
// an id that the server log holds next to the real error.

const MALFORMED_COOKIES = ["x=%", "x=%E0%A4%A", "=%", "%=%; y=%zz"];

afterEach(() => {
  vi.restoreAllMocks();
});

async function adminCookie() {
  const tenant = await createTenant();
  const { sessionId } = await createSignedInMember(tenant.id, { role: "admin" });
  return sessionCookieFor(sessionId);
}

describe("a malformed cookie", () => {
  it.each(MALFORMED_COOKIES)("leaves /api/trpc answering normally (%s)", async (malformed) => {
    const session = await adminCookie();
    const signedOut = await trpcGet(new Request("http://localhost:3000/api/trpc/setup.status", { headers: { cookie: malformed } }));
    expect(signedOut.status).toBe(200);
    const signedIn = await trpcGet(new Request("http://localhost:3000/api/trpc/me.get", { headers: { cookie: `${malformed}; ${session}` } }));
    expect(signedIn.status).toBe(200);
    const after = await trpcGet(new Request("http://localhost:3000/api/trpc/me.get", { headers: { cookie: `${session}; ${malformed}` } }));
    expect(after.status).toBe(200);
  });

  it.each(MALFORMED_COOKIES)("leaves /api/members/export answering normally (%s)", async (malformed) => {
    const session = await adminCookie();
    const signedIn = await exportGet(new Request("http://localhost:3000/api/members/export", { headers: { cookie: `${malformed}; ${session}` } }));
    expect(signedIn.status).toBe(200);
    await signedIn.text();
    const signedOut = await exportGet(new Request("http://localhost:3000/api/members/export", { headers: { cookie: malformed } }));
    expect(signedOut.status).toBe(401);
  });
});

describe("an unplanned error", () => {
  const databaseMessage = 'Invalid `prisma.user.update()` invocation: value too long for type character varying(10) (ada@example.test)';

  it("reaches a tRPC client as a generic message whose id is in the server log with the real error", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const failing = router({ boom: publicProcedure.mutation(() => Promise.reject(new Error(databaseMessage))) });
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost:3000/api/trpc/boom", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }),
      router: failing,
      createContext: () => ({ db: null as never, session: null, signedOutReason: null, client: {} }),
    });
    expect(response.status).toBe(500);
    const text = await response.text();
    expect(text).not.toMatch(/prisma|varying|ada@example/);
    const body = JSON.parse(text) as { error: { json: { message: string; data: { errorId: string; code: string } } } };
    const { errorId } = body.error.json.data;
    expect(errorId).toMatch(/^[0-9a-f]{12}$/);
    expect(body.error.json.message).toBe(`Something went wrong (error id ${errorId})`);
    const lines = logged.mock.calls.map((call) => call.map((part) => (part instanceof Error ? part.message : String(part))).join(" "));
    expect(lines.filter((line) => line.includes(errorId))).toEqual([expect.stringContaining(databaseMessage)]);
  });

  it("keeps the app router's own handler free of database words on a bad request", async () => {
    const response = await trpcPost(
      new Request("http://localhost:3000/api/trpc/auth.passwordReset.request", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { organisation: "acme", login: "ada\u0000" } }),
      }),
    );
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(/prisma|postgres|0x00|invalid byte/i);
  });

  it("reaches a route handler's client as a generic message with a logged id", async () => {
    const logged = vi.spyOn(console, "error").mockImplementation(() => undefined);
    const handler = answeringGenericErrors("GET /api/test", () => Promise.reject(new Error(databaseMessage)));
    const response = await handler();
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: string; errorId: string };
    expect(body.error).toBe(`Something went wrong (error id ${body.errorId})`);
    expect(String(logged.mock.calls[0]?.[0])).toContain(body.errorId);
  });
});

describe("next-auth's redirect callback (issue 10 item 10)", () => {
  it("keeps our own paths and sends every other target home", async () => {
    const redirect = authOptions().callbacks!.redirect!;
    const baseUrl = "http://localhost:3000";
    for (const url of ["/\\evil.example", "/%5Cevil.example", "/%09/evil.example", "//evil.example", "https://evil.example/", "http://localhost:3000.evil.example/"]) {
      expect(await redirect({ url, baseUrl }), url).toBe(`${baseUrl}/`);
    }
    expect(await redirect({ url: "/me/security?x=1", baseUrl })).toBe(`${baseUrl}/me/security?x=1`);
    expect(await redirect({ url: `${baseUrl}/console`, baseUrl })).toBe(`${baseUrl}/console`);
  });
});
