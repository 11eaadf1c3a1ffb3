import "server-only";
import { cache } from "react";
import { db } from "@/server/db/client";
import { currentSession } from "@/server/auth/current-session";
import { createCaller } from "@/server/trpc/root";

/** The tRPC caller for server components: same procedures and checks, no HTTP hop, one per request. */
export const serverCaller = cache(async () => {
  const check = await currentSession();
  return createCaller({
    db: db(),
    session: check.live ? check.session : null,
    signedOutReason: check.live ? null : check.reason,
    client: {},
  });
});
