import type { TLoadedMember } from "@/components/members/load-member";
import { MemberDepartments } from "@/components/org/member-departments";

/** The member's departments, the main one and those they head, with the changes an admin can make to them. */
export function MemberOrganisation({ member }: { member: TLoadedMember }) {
  return (
    <MemberDepartments
      memberId={member.id.toString()}
      memberName={member.fullName}
      mainDepartmentId={member.mainDepartmentId?.toString() ?? null}
      departments={member.departments.map((department) => ({ id: department.id.toString(), name: department.name, isHead: department.isHead }))}
    />
  );
}
