import { createCallerFactory, router } from "@/server/trpc/init";
import { accessRouter } from "@/server/access/router";
import { membersRouter, meRouter } from "@/server/members/router";
import { departmentsRouter } from "@/server/org/router";
import { setupRouter, tenantRouter } from "@/server/tenants/router";

export const appRouter = router({
  setup: setupRouter,
  tenant: tenantRouter,
  me: meRouter,
  members: membersRouter,
  departments: departmentsRouter,
  access: accessRouter,
});

export type TAppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with a given context. */
export const createCaller = createCallerFactory(appRouter);
