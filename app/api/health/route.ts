import { checkHealth } from "@/server/health/check-health";

export const dynamic = "force-dynamic";

/** Readiness: 200 once the app answers and reaches its database. */
export async function GET() {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
}
