import { checkHealth } from "@/server/health/check-health";
import { answeringGenericErrors } from "@/server/unexpected-error";

export const dynamic = "force-dynamic";

/** Readiness: 200 once the app answers and reaches its database. */
async function answerHealth() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
}

export const GET = answeringGenericErrors("GET /api/health", answerHealth);
