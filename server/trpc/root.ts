import { createCallerFactory, router } from "@/server/trpc/init";
import { accessRouter } from "@/server/access/router";
import { accessGrantsRouter } from "@/server/access/grants-router";
import { securityRouter } from "@/server/auth/router";
import { lifecycleRouter } from "@/server/lifecycle/router";
import { auditRouter } from "@/server/audit/router";
import { heatmapRouter } from "@/server/heatmap/router";
import { importsRouter } from "@/server/imports/router";
import { membersRouter, meRouter } from "@/server/members/router";
import { departmentsRouter } from "@/server/org/router";
import { onboardingRouter } from "@/server/onboarding/router";
import { roleTemplatesRouter } from "@/server/role-templates/router";
import { authRouter } from "@/server/auth/mfa/router";
import { selfServiceRouter } from "@/server/self-service/router";
import { setupRouter, tenantRouter } from "@/server/tenants/router";
import { statusRouter } from "@/server/status/router";
import { alertsRouter } from "@/server/alerts/router";
import { apiTokensRouter } from "@/server/api-tokens/router";
import { scimRouter } from "@/server/scim/router";
import { directoriesRouter } from "@/server/directories/router";
import { directorySyncRouter } from "@/server/directories/sync-router";
import { webhooksRouter } from "@/server/webhooks/router";
import { applicationSignInRouter, signingKeysRouter } from "@/server/applications/router";
import { provisioningRouter } from "@/server/provisioning/router";
import { applicationMembersRouter, myApplicationsRouter } from "@/server/application-members/router";

export const appRouter = router({
  setup: setupRouter,
  tenant: tenantRouter,
  me: meRouter,
  members: membersRouter,
  departments: departmentsRouter,
  access: accessRouter,
  accessGrants: accessGrantsRouter,
  heatmap: heatmapRouter,
  lifecycle: lifecycleRouter,
  audit: auditRouter,
  imports: importsRouter,
  security: securityRouter,
  onboarding: onboardingRouter,
  roleTemplates: roleTemplatesRouter,
  auth: authRouter,
  selfService: selfServiceRouter,
  status: statusRouter,
  alerts: alertsRouter,
  directories: directoriesRouter,
  apiTokens: apiTokensRouter,
  scim: scimRouter,
  directorySync: directorySyncRouter,
  webhooks: webhooksRouter,
  applicationSignIn: applicationSignInRouter,
  signingKeys: signingKeysRouter,
  provisioning: provisioningRouter,
  applicationMembers: applicationMembersRouter,
  myApplications: myApplicationsRouter,
});

export type TAppRouter = typeof appRouter;

/** Calls procedures in-process (server components, tests) with a given context. */
export const createCaller = createCallerFactory(appRouter);
