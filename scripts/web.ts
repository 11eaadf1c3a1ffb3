import next from "next";
import { launcherEnv, loadDotEnvFile } from "@/server/env";
import { createWebServer, listen } from "@/server/http/web-server";
import { withOpenIdProvider } from "@/server/oidc/mount";

// One web process: `node --import tsx scripts/web.ts [dev]`. Tenure's own HTTP
// server (server/http/) in front of Next.js; npm start and the e2e server run
// this instead of `next start`. On SIGTERM it stops taking connections, lets
// running requests finish, then exits.

const dev = process.argv[2] === "dev";
const log = (line: string) => console.log(`[web] ${line}`);

async function main(): Promise<void> {
  // `npm run web` alone reads .env as the other launchers do; what is already set wins.
  loadDotEnvFile();
  const { PORT, HOST, TRUSTED_PROXIES } = launcherEnv();
  const app = next({ dev, dir: process.cwd(), hostname: HOST, port: PORT });
  await app.prepare();
  // /oidc/<organisation>/… is the organisations' OpenID providers; everything else is Next.js.
  const server = createWebServer(withOpenIdProvider(app.getRequestHandler()), TRUSTED_PROXIES);
  await listen(server, PORT, HOST);
  log(`listening on http://${HOST}:${PORT} (${dev ? "development" : "production"}; trusted proxies: ${TRUSTED_PROXIES.kind === "none" ? "none" : TRUSTED_PROXIES.kind === "hops" ? `${TRUSTED_PROXIES.hops} hop(s)` : "by address"})`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      server.close(() => void app.close().finally(() => process.exit(0)));
      server.closeIdleConnections();
      // Requests still running after this are cut off.
      setTimeout(() => process.exit(0), 10_000).unref();
    });
  }
}

main().catch((error: unknown) => {
  console.error(`[web] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
