import type { Metadata } from "next";
import Link from "next/link";
import { FormAlert } from "@/components/form/field";
import { loadMember } from "@/components/members/load-member";
import { MemberEditForm } from "@/components/members/member-edit-form";
import { memberEditValues } from "@/components/members/member-form-values";
import { PageHeader } from "@/components/page-header";
import { requireAdminSession } from "@/server/auth/current-session";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { ARCHIVED_READ_ONLY } from "@/server/errors";

type TParams = Promise<{ memberId: string }>;

export async function generateMetadata({ params }: { params: TParams }): Promise<Metadata> {
  const member = await loadMember((await params).memberId);
  return { title: `Edit ${member.fullName}` };
}

export default async function EditMemberPage({ params }: { params: TParams }) {
  const session = await requireAdminSession();
  const member = await loadMember((await params).memberId);
  const initial = memberEditValues(member);
  const canGrantOwner = session.member.sysAdmin >= SYSTEM_ROLE.owner;
  // The server refuses these role changes anyway; the form says so before anyone tries.
  const roleLockedReason =
    member.id === session.member.id
      ? "You cannot change your own role; ask another administrator."
      : member.role === "owner" && !canGrantOwner
        ? "Only an owner may change an owner's role."
        : null;
  const readOnlyReason =
    member.state === "archived" ? ARCHIVED_READ_ONLY : member.state === "deleted" ? "A deleted member must be restored from the recycle bin first" : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 flex gap-2 text-sm text-slate-600">
        <Link href="/console/members" className="hover:underline">
          Members
        </Link>
        <span aria-hidden="true">/</span>
        <Link href={`/console/members/${initial.memberId}`} className="hover:underline">
          {member.fullName}
        </Link>
      </nav>
      <PageHeader title={`Edit ${member.fullName}`} description="Changes are recorded on the member's timeline." />
      {readOnlyReason ? (
        // The server refuses the save anyway (server/members/update-member.ts); the page says so first.
        <FormAlert>
          {readOnlyReason}{" "}
          <Link href={`/console/members/${initial.memberId}`} className="ml-1 font-medium underline">
            Back to {member.fullName}
          </Link>
        </FormAlert>
      ) : (
        // A new version (after Reload) mounts a new form with the fresh values.
        <MemberEditForm key={initial.expectedLastModifiedDate} initial={initial} canGrantOwner={canGrantOwner} roleLockedReason={roleLockedReason} managedBy={member.managedBy} />
      )}
    </>
  );
}
