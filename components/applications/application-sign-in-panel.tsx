"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { SECONDARY_BUTTON } from "@/components/form/button-styles";
import { FormAlert } from "@/components/form/field";
import { SuccessStatus } from "@/components/form/success-status";
import { useConfirm } from "@/components/lifecycle/use-confirm";
import { QueryStatus } from "@/components/list/list-state";
import { isStepUpRequired, useStepUp } from "@/components/step-up/use-step-up";
import { useTRPC } from "@/components/trpc/client";
import { ClientSecretsPanel } from "@/components/applications/client-secrets-panel";
import { CopyValue } from "@/components/applications/copy-value";
import { OneTimeSecretDialog } from "@/components/applications/one-time-secret-dialog";
import { SignInSettingsForm } from "@/components/applications/sign-in-settings-form";
import type { TApplicationSignInView } from "@/server/applications/get-application-sign-in";

type TShownSecret = { secret: string; clientId: string; note?: string };

/**
 * The "Sign-in (OpenID Connect)" section of an application's page: what the
 * application is configured with (issuer, discovery, client id), its secrets,
 * and the settings form. Admins read; owners change.
 */
export function ApplicationSignInPanel({ initial, canEdit }: { initial: TApplicationSignInView; canEdit: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const query = useQuery({ ...trpc.applicationSignIn.get.queryOptions({ applicationId: initial.id }), initialData: initial });
  const [shown, setShown] = useState<TShownSecret | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { askConfirmation, confirmDialog } = useConfirm();
  const { requireStepUp, stepUpDialog } = useStepUp();
  const disable = useMutation(
    trpc.applicationSignIn.disable.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.applicationSignIn.get.queryFilter({ applicationId: initial.id })),
    }),
  );

  if (!query.data) return <QueryStatus query={query} loading="Loading the sign-in settings…" failure="The sign-in settings could not be loaded" />;
  const view = query.data;
  const disableSignIn = () =>
    disable.mutate({ applicationId: view.id }, { onSuccess: () => setNotice("Sign-in disabled."), onError: (error) => void requireStepUp(error, disableSignIn) });

  return (
    <div className="space-y-6">
      {query.isError ? <FormAlert>The sign-in settings could not be refreshed: {query.error.message}</FormAlert> : null}
      <SuccessStatus message={notice} />
      {view.enabled ? (
        <section aria-labelledby="sign-in-connection" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
          <h3 id="sign-in-connection" className="text-base font-semibold">
            What the application needs
          </h3>
          <CopyValue label="Issuer" value={view.issuer} />
          <CopyValue label="Discovery URL" value={view.discoveryUrl} />
          <CopyValue label="Client id" value={view.clientId!} />
          {view.settings.clientType === "confidential" ? (
            <>
              <h4 className="pt-2 text-sm font-semibold">Client secrets</h4>
              <ClientSecretsPanel view={view} canEdit={canEdit} onSecret={(secret, note) => setShown({ secret, clientId: view.clientId!, note })} />
            </>
          ) : (
            <p className="text-sm text-slate-600">A public client has no secret: it signs members in with PKCE.</p>
          )}
        </section>
      ) : (
        <FormAlert tone="info">
          Sign-in is not enabled: members cannot sign in to {view.name} through Tenure yet. Fill in the settings below and enable it; the application then discovers
          everything from {view.discoveryUrl}.
        </FormAlert>
      )}

      <section aria-labelledby="sign-in-settings" className="space-y-3">
        <h3 id="sign-in-settings" className="text-base font-semibold">
          Settings
        </h3>
        <SignInSettingsForm
          key={`${view.enabled}-${view.oidcUpdatedAt?.getTime() ?? "new"}`}
          view={view}
          canEdit={canEdit}
          onSaved={(result) => {
            setNotice(result.message);
            if (result.secret) setShown({ secret: result.secret, clientId: result.clientId });
          }}
        />
      </section>

      {view.enabled && canEdit ? (
        <section aria-labelledby="sign-in-disable" className="space-y-2 rounded-lg border border-red-200 bg-white p-4">
          <h3 id="sign-in-disable" className="text-base font-semibold">
            Disable sign-in
          </h3>
          <p className="text-sm text-slate-700">Members can no longer sign in to {view.name} through Tenure. The client id and secrets are deleted; enabling again makes new ones.</p>
          {disable.isError && !isStepUpRequired(disable.error) ? <FormAlert>{disable.error.message}</FormAlert> : null}
          <button
            type="button"
            className={SECONDARY_BUTTON}
            disabled={disable.isPending}
            onClick={async () => {
              setNotice(null);
              const confirmed = await askConfirmation({
                title: `Disable sign-in for ${view.name}?`,
                message: "Nobody can sign in to it through Tenure any more, and its client id and secrets stop working.",
                confirmLabel: "Disable sign-in",
                destructive: true,
              });
              if (confirmed) disableSignIn();
            }}
          >
            {disable.isPending ? "Disabling…" : "Disable sign-in"}
          </button>
        </section>
      ) : null}

      {shown ? <OneTimeSecretDialog applicationName={view.name} secret={shown.secret} clientId={shown.clientId} note={shown.note} onClose={() => setShown(null)} /> : null}
      {confirmDialog}
      {stepUpDialog}
    </div>
  );
}
