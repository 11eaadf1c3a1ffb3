import { afterAll, beforeAll } from "vitest";
import { randomUUID } from "node:crypto";
import type { Server } from "node:http";
import express from "express";
import SCIMMY from "scimmy";
import SCIMMYRouters from "scimmy-routers";

// The test rig's SCIM 2.0 peer: an application that keeps its own accounts,
// served by scimmy + scimmy-routers (protocol logic nobody here wrote). Each
// peer keeps its accounts in memory; switches make it fail, slow down or
// rate-limit, and every request is logged, so provisioning tests see what a
// real application would have received.

export type TScimAccount = Record<string, unknown> & { id: string; userName: string; active?: boolean };
export type TScimRequest = { method: string; path: string; body: unknown; at: number; status: number };

export type TScimPeer = {
  /** The SCIM base URL, e.g. http://127.0.0.1:PORT/scim/v2 */
  url: string;
  token: string;
  accounts: Map<string, TScimAccount>;
  groups: Map<string, Record<string, unknown> & { id: string; displayName: string }>;
  requests: TScimRequest[];
  /** Answer the next `count` requests with this status (e.g. 503, or 429 with Retry-After). */
  failNext(count: number, status: number, retryAfterSeconds?: number): void;
  /** Delay every answer by this many milliseconds (0: none). */
  setDelay(ms: number): void;
  /** At most `requests` per second; more are answered 429 with Retry-After: 1 (null: no limit). */
  setRateLimit(requestsPerSecond: number | null): void;
  stop(): Promise<void>;
};

type TPeerState = Pick<TScimPeer, "accounts" | "groups">;

let declared = false;

// scimmy's own code passes null as scimType for a plain 404; its typings want a string.
const notFound = (id: string | undefined) => new SCIMMY.Types.Error(404, null as unknown as string, `Resource ${id} not found`);

/** scimmy's resource declarations are process-wide: the handlers find each peer's store in the request context. */
function declareResources(): void {
  if (declared) return;
  declared = true;
  const store = (ctx: unknown) => ctx as TPeerState;
  // Applications that take department and manager declare the enterprise extension (RFC 7643 section 4.3).
  SCIMMY.Resources.declare(SCIMMY.Resources.User.extend(SCIMMY.Schemas.EnterpriseUser, false))
    .ingress((resource, data, ctx) => {
      const { accounts } = store(ctx);
      const id = resource.id ?? randomUUID();
      if (!resource.id && [...accounts.values()].some((account) => account.userName.toLowerCase() === String(data.userName).toLowerCase())) {
        throw new SCIMMY.Types.Error(409, "uniqueness", `userName ${String(data.userName)} is taken`);
      }
      if (resource.id && !accounts.has(id)) throw notFound(id);
      const now = new Date().toISOString();
      const previous = accounts.get(id);
      const account = { ...data, id, meta: { created: (previous?.meta as { created?: string } | undefined)?.created ?? now, lastModified: now } } as TScimAccount;
      accounts.set(id, account);
      return account;
    })
    .egress((resource, ctx) => {
      const { accounts } = store(ctx);
      if (resource.id) {
        const account = accounts.get(resource.id);
        if (!account) throw notFound(resource.id);
        return account;
      }
      const all = [...accounts.values()];
      return resource.filter ? (resource.filter.match(all) as TScimAccount[]) : all;
    })
    .degress((resource, ctx) => {
      const { accounts } = store(ctx);
      if (!resource.id || !accounts.delete(resource.id)) throw notFound(resource.id);
    });
  SCIMMY.Resources.declare(SCIMMY.Resources.Group)
    .ingress((resource, data, ctx) => {
      const { groups } = store(ctx);
      const id = resource.id ?? randomUUID();
      const group = { ...data, id } as Record<string, unknown> & { id: string; displayName: string };
      groups.set(id, group);
      return group;
    })
    .egress((resource, ctx) => {
      const { groups } = store(ctx);
      if (resource.id) {
        const group = groups.get(resource.id);
        if (!group) throw notFound(resource.id);
        return group;
      }
      const all = [...groups.values()];
      return resource.filter ? (resource.filter.match(all) as typeof all) : all;
    })
    .degress((resource, ctx) => {
      const { groups } = store(ctx);
      if (!resource.id || !groups.delete(resource.id)) throw notFound(resource.id);
    });
}

const LIST_RESPONSE_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
const MAX_PAGE = 1000;

/**
 * GET /Users as a page (RFC 7644 section 3.4.2.4: startIndex is 1-based,
 * count caps the page, totalResults counts every match). scimmy's own list
 * builds every account before cutting the page (and its ListResponse cannot
 * take a page from the store with the total), which a reconciliation of
 * 100,000 accounts turns into 10^8 objects; this keeps scimmy's filter and
 * builds only the page. A wrong token falls through to scimmy's 401.
 */
function listUsers(state: TPeerState, query: Record<string, unknown>, response: express.Response): void {
  const number = (value: unknown, fallback: number) => (typeof value === "string" && /^\d+$/.test(value) ? Number(value) : fallback);
  const startIndex = Math.max(1, number(query.startIndex, 1));
  const count = Math.min(MAX_PAGE, number(query.count, 100));
  let matches = [...state.accounts.values()];
  try {
    if (typeof query.filter === "string" && query.filter.length > 0) matches = new SCIMMY.Types.Filter(query.filter).match(matches) as TScimAccount[];
  } catch (error) {
    response.status(400).json({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "400", scimType: "invalidFilter", detail: String(error) });
    return;
  }
  const page = matches.slice(startIndex - 1, startIndex - 1 + count);
  response.type("application/scim+json").json({
    schemas: [LIST_RESPONSE_SCHEMA],
    totalResults: matches.length,
    startIndex,
    itemsPerPage: page.length,
    Resources: page.map((account) => ({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], ...account, meta: { ...(account.meta as object), resourceType: "User" } })),
  });
}

export async function startScimPeer(): Promise<TScimPeer> {
  declareResources();
  const token = `scim-peer-${randomUUID()}`;
  const state: TPeerState = { accounts: new Map(), groups: new Map() };
  const requests: TScimRequest[] = [];
  let failures: { count: number; status: number; retryAfterSeconds?: number } = { count: 0, status: 503 };
  let delayMs = 0;
  let rateLimit: number | null = null;
  let windowStart = 0;
  let inWindow = 0;

  const app = express();
  app.use((request, response, next) => {
    const at = Date.now();
    response.on("finish", () => requests.push({ method: request.method, path: request.originalUrl, body: request.body as unknown, at, status: response.statusCode }));
    const answer = () => {
      if (rateLimit !== null) {
        if (at - windowStart >= 1000) [windowStart, inWindow] = [at, 0];
        if (++inWindow > rateLimit) {
          response.status(429).set("Retry-After", "1").json({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: "429", detail: "Too many requests" });
          return;
        }
      }
      if (failures.count > 0) {
        failures.count -= 1;
        if (failures.retryAfterSeconds !== undefined) response.set("Retry-After", String(failures.retryAfterSeconds));
        response.status(failures.status).json({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: String(failures.status), detail: "Switched to fail" });
        return;
      }
      next();
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
  app.get("/scim/v2/Users", (request, response, next) => {
    if (request.header("Authorization") !== `Bearer ${token}`) {
      next();
      return;
    }
    listUsers(state, request.query, response);
  });
  app.use(
    "/scim/v2",
    new SCIMMYRouters({
      type: "bearer",
      handler: (request) => {
        if (request.header("Authorization") !== `Bearer ${token}`) throw new Error("Authorization failed");
        return "tenure";
      },
      context: () => state,
    }),
  );

  const server: Server = await new Promise((resolve) => {
    const listening = app.listen(0, "127.0.0.1", () => resolve(listening));
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    token,
    accounts: state.accounts,
    groups: state.groups,
    requests,
    failNext: (count, status, retryAfterSeconds) => {
      failures = { count, status, retryAfterSeconds };
    },
    setDelay: (ms) => {
      delayMs = ms;
    },
    setRateLimit: (perSecond) => {
      rateLimit = perSecond;
    },
    stop: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * A peer for the whole test file: started before its first test, stopped after its last. Call at the file's top
 * level; read `rig.peer` inside tests.
 */
export function scimPeerForFile(): { readonly peer: TScimPeer } {
  let started: TScimPeer | undefined;
  beforeAll(async () => {
    started = await startScimPeer();
  });
  afterAll(async () => {
    await started?.stop();
  });
  return {
    get peer(): TScimPeer {
      if (!started) throw new Error("The SCIM peer starts in beforeAll: read it inside a test");
      return started;
    },
  };
}
