import { adminProcedure, router } from "@/server/trpc/init";
import { ZNoInput } from "@/server/trpc/no-input";
import { ZApplicationRef, ZOidcSettingsInput, ZRevokeClientSecret, ZRotateClientSecret } from "@/server/applications/oidc-settings-schemas";
import { getApplicationSignIn } from "@/server/applications/get-application-sign-in";
import { enableApplicationSignIn, updateApplicationSignIn } from "@/server/applications/save-application-sign-in";
import { disableApplicationSignIn } from "@/server/applications/disable-application-sign-in";
import { revokeClientSecret, rotateClientSecret } from "@/server/applications/rotate-client-secret";
import { listSigningKeys, rotateInstallationSigningKeys } from "@/server/applications/manage-signing-keys";

// An application's sign-in (OpenID Connect) settings: admins read them; owners
// change them, rotate and revoke secrets (the services check, with step-ups).
export const applicationSignInRouter = router({
  get: adminProcedure.input(ZApplicationRef).query(({ ctx, input }) => getApplicationSignIn(ctx.db, ctx.session.tenant.id, BigInt(input.applicationId))),
  enable: adminProcedure.input(ZOidcSettingsInput).mutation(({ ctx, input }) => enableApplicationSignIn(ctx.db, ctx.actor, input)),
  update: adminProcedure.input(ZOidcSettingsInput).mutation(({ ctx, input }) => updateApplicationSignIn(ctx.db, ctx.actor, input)),
  disable: adminProcedure.input(ZApplicationRef).mutation(({ ctx, input }) => disableApplicationSignIn(ctx.db, ctx.actor, input)),
  rotateSecret: adminProcedure.input(ZRotateClientSecret).mutation(({ ctx, input }) => rotateClientSecret(ctx.db, ctx.actor, input)),
  revokeSecret: adminProcedure.input(ZRevokeClientSecret).mutation(({ ctx, input }) => revokeClientSecret(ctx.db, ctx.actor, input)),
});

// Settings → Signing keys: the installation's keys (public facts only); owners rotate them.
export const signingKeysRouter = router({
  list: adminProcedure.input(ZNoInput).query(({ ctx }) => listSigningKeys(ctx.db)),
  rotate: adminProcedure.input(ZNoInput).mutation(({ ctx }) => rotateInstallationSigningKeys(ctx.db, ctx.actor)),
});
