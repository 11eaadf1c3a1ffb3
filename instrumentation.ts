// Next calls register() once when a server process starts: each app process
// applies pending migrations itself (under an advisory lock, so several
// processes starting together apply each migration once), and loads the
// common-password list; while no organisation exists, it prints the
// one-time setup code (server/tenants/setup-code.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs" || process.env.NEXT_PHASE === "phase-production-build") return;
  const { serverEnv } = await import("@/server/env");
  const { assertCookiesCanBeSecure } = await import("@/server/auth/cookie-security");
  const { prepareDatabase } = await import("@/server/db/prepare-database");
  const env = serverEnv();
  assertCookiesCanBeSecure(env.NEXTAUTH_URL, env.NODE_ENV);
  await prepareDatabase(env.DATABASE_URL, (line) => console.log(`[tenure] ${line}`));
  await announceSetupCode(env.SETUP_CODE);
  // Loaded now rather than on the first password check, which would otherwise wait for it.
  const { commonPasswordCount } = await import("@/server/auth/common-passwords");
  console.log(`[tenure] Common-password list loaded: ${commonPasswordCount().toLocaleString("en")} entries`);
}

async function announceSetupCode(operatorCode: string | undefined) {
  const { db } = await import("@/server/db/client");
  const { issueSetupCode } = await import("@/server/tenants/setup-code");
  const issued = await issueSetupCode(db(), operatorCode);
  if (!issued) return;
  const code = issued.fromOperator ? "the value of SETUP_CODE" : issued.code;
  console.log(`[tenure] Setup code: ${code} (open /setup and enter it to create the organisation and its owner; valid until then or the next start)`);
}
