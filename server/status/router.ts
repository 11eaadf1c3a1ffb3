import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { getAccountSecurity } from "@/server/status/account-security";
import { getOnlineDuration } from "@/server/status/online-duration-snapshot";
import { getOnlineNow } from "@/server/status/online-now";
import { getPasswordHealth } from "@/server/status/password-health";
import { ZPasswordHealthInput, ZSignInIncidentsInput } from "@/server/status/schemas";
import { getSignInIncidents } from "@/server/status/sign-in-incidents";

/** The status overview's cards (/console/status): one read-only query each, admins only, this tenant only. */
export const statusRouter = router({
  onlineNow: adminProcedure.input(ZNoInput).query(({ ctx }) => getOnlineNow(ctx.db, ctx.session.tenant.id)),
  onlineDuration: adminProcedure.input(ZNoInput).query(({ ctx }) => getOnlineDuration(ctx.db, ctx.session.tenant.id)),
  signInIncidents: adminProcedure.input(ZSignInIncidentsInput).query(({ ctx, input }) => getSignInIncidents(ctx.db, ctx.session.tenant.id, input)),
  passwordHealth: adminProcedure.input(ZPasswordHealthInput).query(({ ctx, input }) => getPasswordHealth(ctx.db, ctx.session.tenant.id, input)),
  accountSecurity: adminProcedure.input(ZNoInput).query(({ ctx }) => getAccountSecurity(ctx.db, ctx.session.tenant.id)),
});
