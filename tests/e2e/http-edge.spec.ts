import { expect, test } from "./support/fixtures";

// Tenure's HTTP server in front of the production build (scripts/web.ts): a
// sign-in through next-auth (CSRF token, then the credentials callback, as
// the sign-in form posts it) that forges X-Forwarded-For, X-Real-IP and our
// own address header, and sends a 15,800-character user agent, is recorded
// with the socket's address and a cut user agent. The e2e server trusts no
// proxy (TRUSTED_PROXIES unset).

test("a sign-in with forged forwarded headers and a huge user agent is recorded with the socket address", async ({ request, factory, database }) => {
  const tenant = await factory.createTenant();
  const member = await factory.createMember(tenant);
  const forged = {
    "x-forwarded-for": "6.6.6.6",
    "x-real-ip": "6.6.6.7",
    "x-tenure-client-address": "6.6.6.8",
    "user-agent": `Mozilla/5.0 (${"a-".repeat(7_890)}) Chrome/131.0`,
  };
  const csrf = await request.get("/api/auth/csrf", { headers: forged });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const callback = await request.post("/api/auth/callback/credentials", {
    headers: forged,
    form: { csrfToken, organisation: tenant.slug, login: member.username, password: member.password, json: "true" },
    maxRedirects: 0,
  });
  expect(callback.status()).toBeLessThan(400);

  const { rows: attempts } = await database.query<{ ip_address: string | null; result: string }>(
    "SELECT ip_address, result FROM login_attempts WHERE user_id = $1",
    [member.id],
  );
  expect(attempts).toEqual([{ ip_address: "127.0.0.1", result: "success" }]);
  const { rows: sessions } = await database.query<{ ip_address: string | null; user_agent: string }>(
    "SELECT ip_address, user_agent FROM sessions WHERE user_id = $1",
    [member.id],
  );
  expect(sessions).toEqual([{ ip_address: "127.0.0.1", user_agent: forged["user-agent"].slice(0, 512) }]);
});

