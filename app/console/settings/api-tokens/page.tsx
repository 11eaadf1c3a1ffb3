import type { Metadata } from "next";
import { ApiTokenList } from "@/components/api-tokens/api-token-list";
import { NewApiTokenForm } from "@/components/api-tokens/new-api-token-form";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "API tokens" };

export default async function ApiTokensPage() {
  const session = await requireAdminSession();
  const isOwner = session.member.sysAdmin >= SYSTEM_ROLE.owner;
  return (
    <>
      <PageHeader
        title="API tokens"
        description="Tokens let systems outside the browser call Tenure, such as an HR system or identity provider provisioning members over SCIM. Owners create them; any admin can revoke one at once. What a token does is recorded in its name."
      />
      <div className="space-y-6">
        {isOwner ? <NewApiTokenForm /> : null}
        <ApiTokenList />
      </div>
    </>
  );
}
