import type { Metadata } from "next";
import { MemberCreateForm } from "@/components/members/member-create-form";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";

export const metadata: Metadata = { title: "New member" };

export default async function NewMemberPage() {
  const session = await requireAdminSession();
  return (
    <>
      <PageHeader title="New member" description="Add someone to this organisation. Fields without “optional” are required." />
      <MemberCreateForm canGrantOwner={session.member.sysAdmin >= SYSTEM_ROLE.owner} />
    </>
  );
}
