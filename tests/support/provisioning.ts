import { db } from "@/server/db/client";
import { markSteppedUp } from "@/server/auth/step-up";
import { createCatalogItem } from "@/server/access/manage-catalog";
import { createContextForSessionId } from "@/server/trpc/context";
import { createCaller } from "@/server/trpc/root";
import { approveProvisioning, saveScimSettings } from "@/server/provisioning/manage-scim-settings";
import { sealScimToken } from "@/server/provisioning/scim-endpoint";
import { startReconciliation } from "@/server/provisioning/reconciliations";
import { createSignedInMember, createTenant } from "./factories";
import { runDueJobs } from "./lifecycle";
import type { TScimPeer } from "./scim-peer";

/** A tenant with a stepped-up owner (caller and actor), and one application. */
export async function provisioningScene() {
  const tenant = await createTenant();
  const { member: owner, sessionId } = await createSignedInMember(tenant.id, { role: "owner" });
  await markSteppedUp(db(), sessionId);
  const actor = { tenantId: tenant.id, memberId: owner.id, sysAdmin: owner.sysAdmin, sessionId };
  const caller = createCaller(await createContextForSessionId(sessionId));
  const application = await createCatalogItem(db(), actor, { kind: "application", name: `Wiki ${Math.random().toString(36).slice(2, 8)}` });
  return { tenant, owner, actor, caller, application, sessionId };
}

/** Connects the application to the peer and approves it (provisioning on). */
export async function connectPeer(
  scene: Awaited<ReturnType<typeof provisioningScene>>,
  peer: TScimPeer,
  options: { deprovisionMode?: "deactivate" | "delete"; rateLimitPerSecond?: number } = {},
) {
  await saveScimSettings(db(), scene.actor, {
    applicationId: scene.application.id.toString(),
    baseUrl: peer.url,
    token: peer.token,
    deprovisionMode: options.deprovisionMode ?? "deactivate",
    ...(options.rateLimitPerSecond === undefined ? {} : { rateLimitPerSecond: options.rateLimitPerSecond }),
  });
  await startReconciliation(db(), scene.actor, { applicationId: scene.application.id.toString(), dryRun: true });
  await drainJobs();
  await approveProvisioning(db(), scene.actor, { applicationId: scene.application.id.toString() });
}

/** Runs jobs until none is due (retries scheduled later stay). */
export async function drainJobs(rounds = 5): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    await runDueJobs();
    const [due] = await db().$queryRaw<{ count: number }[]>`SELECT count(*)::int AS count FROM graphile_worker.jobs WHERE run_at <= now() AND locked_at IS NULL AND attempts < max_attempts`;
    if ((due?.count ?? 0) === 0) return;
  }
}

/** Brings every provisioning retry forward to now. */
export async function makeProvisioningRetriesDue(): Promise<number> {
  return db().$executeRaw`UPDATE graphile_worker._private_jobs SET run_at = now() - interval '1 second' WHERE key LIKE 'scim:%'`;
}

export const accountOf = (peer: TScimPeer, memberId: bigint) => [...peer.accounts.values()].find((account) => account.externalId === memberId.toString());

export async function provisioningState(applicationId: bigint, memberId: bigint) {
  return db().memberProvisioning.findUnique({ where: { applicationId_userId: { applicationId, userId: memberId } } });
}

/** Settings a form would send: a loopback URL where nothing answers (saving contacts nothing). */
export const scimSettingsInput = (applicationId: string) => ({ applicationId, baseUrl: "http://127.0.0.1:9/scim/v2", token: "walker-token", deprovisionMode: "deactivate" as const });

/** An application with saved (not approved) SCIM settings written directly, and optionally a dead letter. */
export async function connectedApplication(tenantId: bigint, options: { deadLetter?: boolean; reviewed?: boolean } = {}) {
  const application = await db().application.create({ data: { tenantId, name: `SCIM app ${Math.random().toString(36).slice(2, 10)}` } });
  await db().applicationScimSettings.create({
    data: { applicationId: application.id, tenantId, baseUrl: "http://127.0.0.1:9/scim/v2", sealedToken: sealScimToken(application.id, "walker-token") },
  });
  const applicationId = application.id.toString();
  // A completed dry run: what the first approval needs.
  if (options.reviewed) await db().provisioningReconciliation.create({ data: { tenantId, applicationId: application.id, dryRun: true, status: "completed", finishedAt: new Date() } });
  if (!options.deadLetter) return { applicationId };
  const member = await db().user.findFirstOrThrow({ where: { tenantId }, select: { id: true } });
  const letter = await db().provisioningDeadLetter.create({ data: { tenantId, applicationId: application.id, userId: member.id, error: "HTTP 500", attempts: 8 } });
  return { applicationId, deadLetterId: letter.id.toString() };
}
