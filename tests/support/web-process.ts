import { POST } from "@/app/api/trpc/[trpc]/route";
import { prepareDatabase } from "@/server/db/prepare-database";
import { launcherEnv, serverEnv } from "@/server/env";
import { createWebServer, listen } from "@/server/http/web-server";
import { withOpenIdProvider } from "@/server/oidc/mount";
import { nodeHandlerFor } from "./node-fetch-adapter";

// A web process for tests, without `next build`: what a Tenure web process
// does at start (instrumentation.ts: migrate), then Tenure's HTTP server
// (server/http/) serving the app's tRPC route handler, each request building
// its own context from the cookie, and the OpenID providers under /oidc/ (server/oidc/mount.ts). Prints "listening <port>" when ready.

await prepareDatabase(serverEnv().DATABASE_URL, (line) => console.log(`[web-process] ${line}`));
const server = createWebServer(withOpenIdProvider(nodeHandlerFor(POST)), launcherEnv().TRUSTED_PROXIES);
// A port may be given (tests that need to know it before start, as NEXTAUTH_URL); otherwise any free one.
await listen(server, Number(process.argv[2] ?? 0), "127.0.0.1");
const address = server.address();
console.log(`listening ${typeof address === "object" && address ? address.port : ""}`);
process.once("SIGTERM", () => server.close(() => process.exit(0)));
