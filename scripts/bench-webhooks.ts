import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { db } from "@/server/db/client";
import { serverEnv } from "@/server/env";
import { runLifecycleAction } from "@/server/lifecycle/run-lifecycle-action";
import { generateWebhookSecret, sealWebhookSecret } from "@/server/webhooks/signing";
import { startWorker } from "@/workers/start-worker";

// Webhook figures for `npm run bench` (issue 15: "webhook deliveries per
// second"): a bulk disable of N members (BENCH_WEBHOOKS, default 5,000) with
// one subscribed endpoint, the cost the webhooks add to its transaction, then
// the real worker (graphile-worker, concurrency 10) signing and POSTing every
// message to a local receiver until all are delivered.

const EVENTS = Number(process.env.BENCH_WEBHOOKS ?? 5_000);
const CONCURRENCY = 10;

export async function benchWebhooks(): Promise<void> {
  console.log(`\nWebhooks (${EVENTS.toLocaleString("en")} events, one endpoint, worker concurrency ${CONCURRENCY}):`);
  let received = 0;
  const receiver = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      received += 1;
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  const tenant = await db().tenant.create({ data: { slug: `bench-webhooks-${Date.now()}`, name: "Bench webhooks" } });
  const owner = await db().user.create({ data: { tenantId: tenant.id, username: "bench.owner", email: "owner@bench.test", firstName: "Bench", lastName: "Owner", fullName: "Bench Owner", sysAdmin: 2 } });
  await db().$executeRaw`
    INSERT INTO users (tenant_id, username, email, first_name, last_name, full_name)
    SELECT ${tenant.id}, 'hook' || n, 'hook' || n || '@bench.test', 'Hook', 'Member ' || n, 'Hook Member ' || n FROM generate_series(1, ${EVENTS}) AS n`;
  const memberIds = (await db().user.findMany({ where: { tenantId: tenant.id, sysAdmin: 0 }, select: { id: true } })).map((row) => row.id.toString());
  const endpoint = await db().webhookEndpoint.create({ data: { tenantId: tenant.id, url: `http://127.0.0.1:${port}/hooks`, eventTypes: ["member.disabled"], secretSealed: "" } });
  await db().webhookEndpoint.update({ where: { id: endpoint.id }, data: { secretSealed: sealWebhookSecret(endpoint.id, generateWebhookSecret()) } });
  const actor = { tenantId: tenant.id, memberId: owner.id, sysAdmin: 2 };

  const started = performance.now();
  await runLifecycleAction(db(), actor, { action: "disable", memberIds, reason: "bench" });
  const committed = performance.now();
  const queued = await db().webhookDelivery.count({ where: { endpointId: endpoint.id } });
  console.log(`  bulk disable of ${EVENTS.toLocaleString("en")} members with ${queued.toLocaleString("en")} webhook deliveries queued in its transaction: ${((committed - started) / 1000).toFixed(2)} s`);

  const runner = await startWorker({ connectionString: serverEnv().DATABASE_URL, deliveryConcurrency: CONCURRENCY, crontab: false, log: () => undefined });
  const deliveringFrom = performance.now();
  try {
    for (;;) {
      const delivered = await db().webhookDelivery.count({ where: { endpointId: endpoint.id, status: "delivered" } });
      if (delivered >= queued) break;
      if (performance.now() - deliveringFrom > 600_000) throw new Error(`only ${delivered} of ${queued} webhooks delivered in 10 minutes`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await runner.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
  const seconds = (performance.now() - deliveringFrom) / 1000;
  console.log(`  delivered ${queued.toLocaleString("en")} signed webhooks (${received.toLocaleString("en")} requests received) in ${seconds.toFixed(1)} s: ${Math.round(queued / seconds).toLocaleString("en")} deliveries/s`);
}
