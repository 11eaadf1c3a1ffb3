import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { ScimRequestLog } from "@/components/scim/scim-request-log";
import { ScimSettingsForm } from "@/components/scim/scim-settings-form";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Provisioning (SCIM)" };

export default async function ProvisioningPage() {
  await requireAdminSession();
  const { baseUrl, ...settings } = await (await serverCaller()).scim.settings();
  return (
    <>
      <PageHeader
        title="Provisioning (SCIM)"
        description="An HR system or identity provider (Microsoft Entra ID, Okta) provisions members into Tenure over SCIM 2.0 with an API token that carries the scim scope."
      />
      <div className="space-y-6">
        <section aria-labelledby="scim-url" className="rounded-lg border border-slate-200 bg-white p-4">
          <h2 id="scim-url" className="font-medium">
            Tenant URL
          </h2>
          <p className="mt-1 text-sm text-slate-700">Paste it into the provisioning client (Entra: Tenant URL; Okta: SCIM connector base URL), with a token from Settings → API tokens as the secret.</p>
          <p className="mt-2 font-mono text-sm" data-testid="scim-base-url">
            {baseUrl}
          </p>
        </section>
        <ScimSettingsForm initial={settings} />
        <ScimRequestLog />
      </div>
    </>
  );
}
