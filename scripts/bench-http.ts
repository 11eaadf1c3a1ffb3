import { spawn, type ChildProcess } from "node:child_process";
import { WEB_NODE_FLAGS } from "./support/worker-node-flags";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { performance } from "node:perf_hooks";
import { nextBin } from "./support/supervise";

// Real HTTP against the production build: (1) how long /api/health takes while
// clients send hostile 15,800-character user agents, behind Tenure's server
// (scripts/web.ts) and, for comparison, behind plain `next start`; (2) sign-in
// throughput as a browser signs in (next-auth CSRF token, then the
// credentials callback) at 4 and 16 concurrent clients. Needs `npm run build`.

const HOSTILE_USER_AGENT = `Mozilla/5.0 (${"a-".repeat(7_890)})`;

type TServer = { port: number; child: ChildProcess; stop: () => Promise<void> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function startServer(kind: "tenure" | "next-start", env: Record<string, string>): Promise<TServer> {
  const port = await freePort();
  // As production runs it (WEB_NODE_FLAGS), or with BENCH_WEB_FLAGS (space-separated) to compare.
  const webFlags = process.env.BENCH_WEB_FLAGS === undefined ? WEB_NODE_FLAGS : process.env.BENCH_WEB_FLAGS.split(" ").filter(Boolean);
  const args = kind === "tenure" ? [...webFlags, "--import", "tsx", "scripts/web.ts"] : [nextBin(), "start", "--port", String(port), "--hostname", "127.0.0.1"];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", NEXTAUTH_URL: `http://127.0.0.1:${port}` },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${kind} server exited (${child.exitCode})`);
    if (Date.now() > deadline) throw new Error(`${kind} server did not start`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((response) => response.ok, () => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const stop = () => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve()).kill("SIGTERM")));
  return { port, child, stop };
}

/** CPU seconds a process has used (all its threads: argon2 runs on libuv's pool), from /proc; null elsewhere than Linux. */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    // utime and stime, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}
const figures = (samples: number[]) =>
  `p50 ${percentile(samples, 0.5).toFixed(1).padStart(7)} ms · p95 ${percentile(samples, 0.95).toFixed(1).padStart(7)} ms · max ${Math.max(...samples).toFixed(1).padStart(7)} ms`;

async function timeHealth(port: number, durationMs: number): Promise<number[]> {
  const samples: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const start = performance.now();
    await (await fetch(`http://127.0.0.1:${port}/api/health`)).arrayBuffer();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** /api/health timed while 5 clients keep loading the sign-in page with the given user agent. */
async function healthBeside(port: number, userAgent: string): Promise<{ health: number[]; page: number[] }> {
  let running = true;
  const page: number[] = [];
  const loops = Array.from({ length: 5 }, async () => {
    while (running) {
      const start = performance.now();
      await (await fetch(`http://127.0.0.1:${port}/sign-in`, { headers: { "user-agent": userAgent } })).arrayBuffer();
      page.push(performance.now() - start);
    }
  });
  const health = await timeHealth(port, 4_000);
  running = false;
  await Promise.all(loops);
  return { health, page };
}

async function healthUnderHostileHeaders(label: string, port: number): Promise<void> {
  const quiet = await timeHealth(port, 1_500);
  const ordinary = await healthBeside(port, "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36");
  const hostile = await healthBeside(port, HOSTILE_USER_AGENT);
  console.log(`  ${label}`);
  console.log(`    /api/health alone                           ${figures(quiet)}`);
  console.log(`    beside 5 clients loading /sign-in           ${figures(ordinary.health)}`);
  console.log(`    beside 5 doing so with a 15,800-char agent  ${figures(hostile.health)}`);
  console.log(`    /sign-in itself, ordinary agent             ${figures(ordinary.page)} (${ordinary.page.length} served)`);
  console.log(`    /sign-in itself, 15,800-char agent          ${figures(hostile.page)} (${hostile.page.length} served)`);
}

/** One browser sign-in: the CSRF token (and its cookie), then the credentials callback. */
async function signIn(port: number, organisation: string, login: string, password: string, address: string): Promise<boolean> {
  const base = `http://127.0.0.1:${port}`;
  // The bench is the trusted proxy in front (TRUSTED_PROXIES=1): each client gets its own address.
  const forwarded = { "x-forwarded-for": address };
  const csrfResponse = await fetch(`${base}/api/auth/csrf`, { headers: forwarded });
  const { csrfToken } = (await csrfResponse.json()) as { csrfToken: string };
  const cookie = csrfResponse.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  const response = await fetch(`${base}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { ...forwarded, cookie, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ csrfToken, organisation, login, password, json: "true" }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  return response.headers.getSetCookie().some((line) => line.includes("session-token="));
}

async function signInThroughput(server: TServer, organisation: string, logins: string[], password: string, clients: number): Promise<void> {
  const samples: number[] = [];
  let failures = 0;
  let next = 0;
  const port = server.port;
  const cpuBefore = cpuSeconds(server.child.pid);
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  const end = started + 8_000;
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (performance.now() < end) {
        const login = logins[next++ % logins.length]!;
        const start = performance.now();
        if (await signIn(port, organisation, login, password, `10.${client}.${next % 250}.1`)) samples.push(performance.now() - start);
        else failures += 1;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const cpuAfter = cpuSeconds(server.child.pid);
  const clientCpu = process.cpuUsage(clientCpuBefore);
  // CPU per sign-in is the figure that survives a busy machine; the rate and latencies do not.
  const cpu = cpuBefore === null || cpuAfter === null ? "" : ` · server CPU ${(((cpuAfter - cpuBefore) * 1000) / samples.length).toFixed(1)} ms each`;
  // On one machine the bench's own HTTP clients take CPU from the server too.
  const benchCpu = ` (the bench's clients: ${((clientCpu.user + clientCpu.system) / 1000 / samples.length).toFixed(1)} ms)`;
  console.log(
    `  ${String(clients).padStart(2)} concurrent clients: ${(samples.length / seconds).toFixed(1).padStart(6)} sign-ins/s · ${figures(samples)}${cpu}${benchCpu}${failures ? ` · ${failures} refused` : ""}`,
  );
}

/** Server CPU for the parts of a sign-in that are not the password check: the CSRF round trip alone, and a wrong organisation (no argon2id). */
async function cpuPerRequest(server: TServer, label: string, send: (index: number) => Promise<unknown>): Promise<void> {
  const count = 200;
  const before = cpuSeconds(server.child.pid);
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => { while (next < count) await send(next++); }));
  const after = cpuSeconds(server.child.pid);
  if (before !== null && after !== null) console.log(`    ${label.padEnd(58)} server CPU ${(((after - before) * 1000) / count).toFixed(1)} ms each`);
}

export async function benchHttp(databaseUrl: string, organisation: string, logins: string[], password: string): Promise<void> {
  console.log("\nReal HTTP (production build):");
  if (!existsSync(".next/BUILD_ID")) {
    console.log("  skipped: no production build (run `npm run build` first)");
    return;
  }
  const env = { DATABASE_URL: databaseUrl, NEXTAUTH_SECRET: "bench-only-secret-not-used-for-anything-real", NEXT_TELEMETRY_DISABLED: "1" };
  const nextAlone = await startServer("next-start", env);
  try {
    await healthUnderHostileHeaders("plain `next start` (no header limits):", nextAlone.port);
  } finally {
    await nextAlone.stop();
  }
  const tenure = await startServer("tenure", { ...env, TRUSTED_PROXIES: "1" });
  try {
    await healthUnderHostileHeaders("Tenure's server (scripts/web.ts):", tenure.port);
    console.log("  sign-in through next-auth (CSRF + credentials callback, argon2id incl.):");
    await signIn(tenure.port, organisation, logins[0]!, password, "10.255.0.1");
    console.log("    where a sign-in's CPU goes:");
    await cpuPerRequest(tenure, "GET /api/auth/csrf alone", () => fetch(`http://127.0.0.1:${tenure.port}/api/auth/csrf`).then((response) => response.arrayBuffer()));
    // One unknown login: after its first 5 (a decoy argon2id each) the account rate limit refuses without hashing,
    // so this is the HTTP, next-auth and database part of a sign-in without the password check.
    await cpuPerRequest(tenure, "CSRF + callback refused by the rate limit (no argon2id)", (index) =>
      signIn(tenure.port, organisation, "nobody-at-all", password, `10.254.${index % 250}.1`),
    );
    for (const clients of [4, 16]) await signInThroughput(tenure, organisation, logins, password, clients);
  } finally {
    await tenure.stop();
  }
}
