import type { Metadata } from "next";
import { OnboardWizard } from "@/components/onboarding/onboard-wizard";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "Onboard a member" };

export default async function OnboardMemberPage() {
  const session = await requireAdminSession();
  return (
    <>
      <PageHeader
        title="Onboard a member"
        description="Create the account, choose the departments, authorise the apps and assign roles; everything is created at the end, and the member is invited to choose a password."
      />
      <OnboardWizard
        canGrantOwner={session.member.sysAdmin >= SYSTEM_ROLE.owner}
        draftOwner={{ tenantId: session.tenant.id.toString(), memberId: session.member.id.toString() }}
      />
    </>
  );
}
