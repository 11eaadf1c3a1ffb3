// What a Next server process does once at start (instrumentation.ts calls it,
// in the Node.js runtime only): refuse insecure production cookies, apply
// pending migrations (under an advisory lock, so several processes starting
// together apply each migration once), print the one-time setup code while no
// organisation exists, and load the common-password list.
import { assertCookiesCanBeSecure } from "@/server/auth/cookie-security";
import { commonPasswordCount } from "@/server/auth/common-passwords";
import { db } from "@/server/db/client";
import { prepareDatabase } from "@/server/db/prepare-database";
import { serverEnv } from "@/server/env";
import { issueSetupCode } from "@/server/tenants/setup-code";

export async function registerAppProcess(): Promise<void> {
  const env = serverEnv();
  assertCookiesCanBeSecure(env.NEXTAUTH_URL, env.NODE_ENV);
  await prepareDatabase(env.DATABASE_URL, (line) => console.log(`[tenure] ${line}`));
  await announceSetupCode(env.SETUP_CODE);
  // Loaded now rather than on the first password check, which would otherwise wait for it.
  console.log(`[tenure] Common-password list loaded: ${commonPasswordCount().toLocaleString("en")} entries`);
}

async function announceSetupCode(operatorCode: string | undefined) {
  const issued = await issueSetupCode(db(), operatorCode);
  if (!issued) return;
  const code = issued.fromOperator ? "the value of SETUP_CODE" : issued.code;
  console.log(`[tenure] Setup code: ${code} (open /setup and enter it to create the organisation and its owner; valid until then or the next start)`);
}
