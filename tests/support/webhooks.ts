import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { db } from "@/server/db/client";
import { generateWebhookSecret, sealWebhookSecret } from "@/server/webhooks/signing";
import type { TWebhookEventType } from "@/server/audit/webhook-event-types";
import { WEBHOOK_EVENT_TYPE_NAMES } from "@/server/audit/webhook-event-types";

// A real HTTP receiver on 127.0.0.1 for webhook tests: it keeps every request
// (headers and raw body, for standardwebhooks' verify) and answers with the
// statuses it is told, in turn (then 200s).

export type TReceivedWebhook = { path: string; headers: IncomingHttpHeaders; body: string };

export async function startWebhookReceiver(options: { statuses?: number[]; delayMs?: number } = {}) {
  const received: TReceivedWebhook[] = [];
  const statuses = [...(options.statuses ?? [])];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ path: request.url ?? "/", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      const status = statuses.shift() ?? 200;
      const answer = () => {
        response.writeHead(status, { "content-type": "text/plain" });
        response.end(status < 300 ? "ok" : `receiver says ${status}`);
      };
      if (options.delayMs) setTimeout(answer, options.delayMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** Answers the next requests with these statuses. */
    answerWith: (...next: number[]) => statuses.push(...next),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An endpoint row as an owner would have made it (no step-up, no audit): for tests that are about delivery. */
export async function createWebhookEndpointRow(tenantId: bigint, url: string, eventTypes: readonly TWebhookEventType[] = WEBHOOK_EVENT_TYPE_NAMES) {
  const secret = generateWebhookSecret();
  const row = await db().webhookEndpoint.create({ data: { tenantId, url, eventTypes: [...eventTypes], secretSealed: "" } });
  await db().webhookEndpoint.update({ where: { id: row.id }, data: { secretSealed: sealWebhookSecret(row.id, secret) } });
  return { id: row.id, secret };
}
