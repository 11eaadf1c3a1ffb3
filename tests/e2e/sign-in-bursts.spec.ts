import { expect, test } from "./support/fixtures";

// Issue 10, item 4, through the real HTTP path a browser takes (next-auth's
// CSRF token, then its credentials callback), with parallel requests: a burst
// of any size gets at most the allowed number of password checks, and the
// right password among wrong ones opens a session only if it was checked.

const BURST = 60;
const PER_ACCOUNT = 5;

test("a parallel burst through the credentials callback gets no more password checks than the limit", async ({ playwright, factory, database }, testInfo) => {
  const tenant = await factory.createTenant();
  const victim = await factory.createMember(tenant);
  const other = await factory.createMember(tenant);
  const api = await playwright.request.newContext({ baseURL: testInfo.project.use.baseURL });
  try {
    const { csrfToken } = (await (await api.get("/api/auth/csrf")).json()) as { csrfToken: string };
    const post = (login: string, password: string) =>
      api.post("/api/auth/callback/credentials", { form: { csrfToken, organisation: tenant.slug, login, password, json: "true" }, maxRedirects: 0 });
    const checksOf = async (memberId: string) => {
      const { rows } = await database.query<{ result: string; count: string }>(
        "SELECT result, count(*) FROM login_attempts WHERE user_id = $1 GROUP BY result",
        [memberId],
      );
      return Object.fromEntries(rows.map((row) => [row.result, Number(row.count)]));
    };

    // 60 wrong passwords at once.
    await Promise.all(Array.from({ length: BURST }, (_, index) => post(victim.username, `wrong password ${index}`)));
    expect(await checksOf(victim.id)).toEqual({ failure: PER_ACCOUNT, rate_limited: BURST - PER_ACCOUNT });

    // 30 wrong + 1 right at once: a session only if the right one was among the checks allowed.
    const responses = await Promise.all([...Array.from({ length: 30 }, (_, index) => post(other.username, `wrong ${index}`)), post(other.username, other.password)]);
    const checks = await checksOf(other.id);
    expect((checks.failure ?? 0) + (checks.success ?? 0)).toBeLessThanOrEqual(PER_ACCOUNT);
    const sessions = await factory.sessionsOf(other);
    expect(sessions).toHaveLength(checks.success ?? 0);
    const rightAnswer = (await responses.at(-1)!.json()) as { url: string };
    if (!checks.success) expect(new URL(rightAnswer.url).searchParams.get("error")).toMatch(/^(rate_limited|account_locked)/);
  } finally {
    await api.dispose();
  }
});
