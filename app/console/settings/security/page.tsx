import type { Metadata } from "next";
import { PageHeader } from "@/components/page-header";
import { SecurityPolicyForm } from "@/components/security/security-policy-form";
import { requireAdminSession } from "@/server/auth/current-session";
import { serverCaller } from "@/server/trpc/server-caller";

export const metadata: Metadata = { title: "Security policy" };

export default async function SecuritySettingsPage() {
  await requireAdminSession();
  const policy = await (await serverCaller()).security.policy();
  return (
    <>
      <PageHeader
        title="Security policy"
        description="How members sign in and how long they stay signed in. Changes apply from each member's next request or sign-in attempt."
      />
      <SecurityPolicyForm initial={policy} />
    </>
  );
}
