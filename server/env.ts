import { z } from "zod";
import { parseTrustedProxies } from "@/server/http/trusted-proxies";

// The one place that reads process.env. Parsed lazily: `next build` imports
// server modules without a database, so validation waits for first use.

const ZServerEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url({ message: "DATABASE_URL must be a postgresql:// URL" }),
  /**
   * Connections each process (web server, worker) keeps to the database at most. The worker's deliveries
   * (WORKER_DELIVERY_CONCURRENCY, 25) each read and record through it: more connections let more of them
   * talk to the database at once; the database's max_connections must cover every process's pool.
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  NEXTAUTH_SECRET: z.string().min(32, "NEXTAUTH_SECRET must be at least 32 characters"),
  NEXTAUTH_URL: z.string().url().default("http://localhost:3000"),
  /** smtp:// or smtps:// URL of the mail relay; without it every mail is held in the outbox (Settings → Outbox). */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must be an smtp:// or smtps:// URL").optional(),
  MAIL_FROM: z.string().min(3).default("Tenure <no-reply@localhost>"),
  /**
   * For a trial without SMTP: "true" makes the worker print each mail, secret
   * links included, to its own log (the server operator's terminal) instead of
   * holding it. Never set this where others read the logs.
   */
  MAIL_TO_LOG: z.enum(["true", "false"]).default("false").transform((value) => value === "true"),
  /** The first-run setup code, chosen by the operator (automated installs); without it each start prints a fresh one. */
  SETUP_CODE: z.string().trim().min(16, "SETUP_CODE must be at least 16 characters").max(100).optional(),
});
export type TServerEnv = z.infer<typeof ZServerEnv>;

const ZLauncherEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).optional(),
  DATABASE_URL: z.string().url().optional(),
  NEXTAUTH_SECRET: z.string().min(32).optional(),
  NEXTAUTH_URL: z.string().url().optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  TENURE_DATA_DIR: z.string().min(1).default(".data"),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
  WORKER_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(200).default(25),
  E2E_PORT: z.string().regex(/^\d+$/, "E2E_PORT must be a port number").optional(),
  SEED_PASSWORD: z.string().min(15, "SEED_PASSWORD must be at least 15 characters").optional(),
  /**
   * Proxies whose X-Forwarded-For entries are believed (server/http/trusted-proxies.ts): a hop count ("1")
   * or addresses and CIDR ranges ("10.0.0.0/8,::1"). Unset: none, the client is the socket's peer.
   */
  TRUSTED_PROXIES: z
    .string()
    .optional()
    .transform((value, context) => {
      try {
        return parseTrustedProxies(value);
      } catch (error) {
        context.addIssue({ code: "custom", message: `TRUSTED_PROXIES: ${(error as Error).message}` });
        return z.NEVER;
      }
    }),
});
export type TLauncherEnv = z.infer<typeof ZLauncherEnv>;

let cachedServerEnv: TServerEnv | undefined;

export function serverEnv(): TServerEnv {
  if (!cachedServerEnv) {
    const parsed = ZServerEnv.safeParse(process.env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
      throw new Error(`Invalid environment:\n${problems.join("\n")}\nStart Tenure with \`npm start\` (it fills these in for the embedded database) or set them yourself.`);
    }
    cachedServerEnv = parsed.data;
  }
  return cachedServerEnv;
}

/** Settings read by the launcher scripts (npm start, npm run worker, ...), all optional. */
export function launcherEnv(): TLauncherEnv {
  return ZLauncherEnv.parse(process.env);
}

/** Values the launcher hands to the processes it starts. */
export function exportToEnvironment(values: Record<string, string>): void {
  for (const [key, value] of Object.entries(values)) process.env[key] = value;
  cachedServerEnv = undefined;
}

/** Loads a `.env` file in the working directory when there is one. */
export function loadDotEnvFile(): void {
  try {
    process.loadEnvFile(".env");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
}

export function isProduction(): boolean {
  return process.env.NODE_ENV === "production";
}
