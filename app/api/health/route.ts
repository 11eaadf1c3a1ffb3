import { db } from "@/server/db/client";
import { checkDatabase } from "@/server/db/health";
import { answeringGenericErrors } from "@/server/unexpected-error";

export const dynamic = "force-dynamic";

/** Readiness: 200 once the app answers and reaches its database. */
async function answerHealth() {
  const database = await checkDatabase(db());
  return Response.json({ ok: database, database }, { status: database ? 200 : 503 });
}

export const GET = answeringGenericErrors("GET /api/health", answerHealth);
