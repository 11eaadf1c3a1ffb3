import type { TDatabase } from "@/server/db/client";
import { creationChanges, recordAuditEvent } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { SYSTEM_ROLE } from "@/server/shared/roles";
import { assertStepUp, type TStepUpSession } from "@/server/auth/step-up";
import { ForbiddenError, ValidationError } from "@/server/errors";
import { memberJobKey } from "@/server/lifecycle/job-keys";
import { explainMemberConflict } from "@/server/members/member-conflicts";
import { profileValues } from "@/server/members/profile-values";
import { grantOnboardingAccess } from "@/server/onboarding/grant-onboarding-access";
import { createInvitation } from "@/server/onboarding/invitations";
import { ZOnboardMember, type TOnboardMemberInput } from "@/server/onboarding/schemas";
import { enqueue } from "@/server/queue/enqueue";

const ONLY_OWNERS = "Only an owner may make another owner";

/**
 * The onboarding wizard's "Create member": the account (pending until a
 * future start date, else active), its departments and main department,
 * applications, roles and groups, one audit event with all of it, the
 * activation job at the start date and the invitation to choose a password,
 * in one transaction. Nothing is left behind if any part is refused.
 */
export async function onboardMember(db: TDatabase, actor: TActor & TStepUpSession & { sysAdmin: number }, rawInput: TOnboardMemberInput) {
  const input = ZOnboardMember.parse(rawInput);
  if (input.role === "owner" && actor.sysAdmin < SYSTEM_ROLE.owner) throw new ForbiddenError(ONLY_OWNERS, { role: [ONLY_OWNERS] });
  // Granting admin or owner is a sensitive operation: the session must have proved a factor recently.
  if (input.role !== "member") await assertStepUp(db, actor, "member.role_change");
  // Roles carry permissions: granting them to a new account is a grant like any other (a template's roles arrive here too).
  if (input.roleIds.length > 0) await assertStepUp(db, actor, "access.grant");
  const state = input.startDate ? "pending" : "active";
  const startDate = input.startDate ?? null;
  try {
    return await db.$transaction(async (tx) => {
      const tenant = await tx.tenant.findUniqueOrThrow({ where: { id: actor.tenantId }, select: { name: true, slug: true, nameOrder: true } });
      const template = input.templateId
        ? await tx.roleTemplate.findFirst({ where: { id: BigInt(input.templateId), tenantId: actor.tenantId }, select: { id: true, name: true } })
        : null;
      if (input.templateId && !template) throw new ValidationError("This role template no longer exists", { templateId: ["This role template no longer exists"] });

      const values = profileValues(input, tenant.nameOrder);
      const member = await tx.user.create({
        data: { ...values, tenantId: actor.tenantId, source: "console", state, startDate, createdBy: actor.memberId, lastModifiedBy: actor.memberId },
        select: { id: true, username: true, email: true, fullName: true },
      });
      const granted = await grantOnboardingAccess(tx, actor, member.id, input);
      const invitation = await createInvitation(tx, { ...member, tenantId: actor.tenantId, startDate }, tenant);
      if (startDate) {
        await enqueue(tx, "member__activate", { memberId: member.id.toString() }, { runAt: startDate, jobKey: memberJobKey("activate", member.id) });
      }
      await recordAuditEvent(tx, actor, {
        action: "member.onboarded",
        targetType: "member",
        targetId: member.id,
        changes: {
          ...creationChanges({ ...values, state, startDate }),
          ...(granted.mainDepartment ? { mainDepartmentId: { before: null, after: granted.mainDepartment } } : {}),
          ...creationChanges({
            departments: granted.departments.length > 0 ? granted.departments : null,
            applications: granted.applications.length > 0 ? granted.applications : null,
            roles: granted.roles.length > 0 ? granted.roles : null,
            groups: granted.groups.length > 0 ? granted.groups : null,
            template: template ? { id: template.id.toString(), name: template.name } : null,
            invitationExpiresAt: invitation.expiresAt,
            // No email: the link was shown to the onboarding admin to hand over.
            invitationHandedToAdmin: invitation.handOverLink ? true : null,
          }),
        },
      });
      return { id: member.id, username: member.username, fullName: member.fullName, state, invitationSentTo: member.email, invitationLink: invitation.handOverLink };
    });
  } catch (error) {
    throw await explainMemberConflict(db, actor.tenantId, profileValues(input, "first_last"), error);
  }
}
