// Next calls register() once when a server process starts: each app process
// applies pending migrations itself (under an advisory lock, so several
// processes starting together apply each migration once), and loads the
// common-password list.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { serverEnv } = await import("@/server/env");
  const { assertCookiesCanBeSecure } = await import("@/server/auth/cookie-security");
  const { prepareDatabase } = await import("@/server/db/prepare-database");
  const env = serverEnv();
  assertCookiesCanBeSecure(env.NEXTAUTH_URL, env.NODE_ENV);
  await prepareDatabase(env.DATABASE_URL, (line) => console.log(`[tenure] ${line}`));
  // Loaded now rather than on the first password check, which would otherwise wait for it.
  const { commonPasswordCount } = await import("@/server/auth/common-passwords");
  console.log(`[tenure] Common-password list loaded: ${commonPasswordCount().toLocaleString("en")} entries`);
}
