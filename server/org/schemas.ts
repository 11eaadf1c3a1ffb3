import { z } from "zod";
import { zLine } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";

export const ZDepartmentName = zLine()
  .min(1, "Enter a name")
  .max(100, "At most 100 characters")
  .refine((name) => name.toLowerCase() !== "departed", "“Departed” is the system department's name");

export const ZDepartmentCreate = z.strictObject({ name: ZDepartmentName, parentId: ZEntityId("Unknown department").nullish() });
export const ZDepartmentRename = z.strictObject({ departmentId: ZEntityId("Unknown department"), name: ZDepartmentName });
export const ZDepartmentMove = z.strictObject({ departmentId: ZEntityId("Unknown department"), newParentId: ZEntityId("Unknown department").nullable() });
export const ZDepartmentId = z.strictObject({ departmentId: ZEntityId("Unknown department") });
/** A query's input (not strict: React Query may add its own keys). */
export const ZDepartmentQuery = z.object({ departmentId: ZEntityId("Unknown department") });

/** Moves a member out of one department into another, in one step that records both. */
export const ZMemberTransfer = z
  .strictObject({
    memberId: ZEntityId("Unknown member"),
    fromDepartmentId: ZEntityId("Unknown department").nullable(),
    toDepartmentId: ZEntityId("Unknown department"),
  })
  .refine((input) => input.fromDepartmentId !== input.toDepartmentId, { path: ["toDepartmentId"], message: "Choose another department" });

export type TDepartmentCreateInput = z.input<typeof ZDepartmentCreate>;
export type TMemberTransferInput = z.input<typeof ZMemberTransfer>;

/** Bulk transfer from the member list: each selected member leaves every department and joins one. */
export const ZMembersTransfer = z.strictObject({
  memberIds: z.array(ZEntityId("Unknown member")).min(1, "Select at least one member").max(1000, "At most 1,000 members at once"),
  toDepartmentId: ZEntityId("Unknown department"),
});
export type TMembersTransferInput = z.input<typeof ZMembersTransfer>;

// A member's own departments, one change at a time (the member page's Organisation tab).

/** Joins one more department; the member stays in the others. `main` makes it the main department at once. */
export const ZDepartmentJoin = z.strictObject({
  memberId: ZEntityId("Unknown member"),
  departmentId: ZEntityId("Choose a department"),
  main: z.boolean().optional(),
});
export type TDepartmentJoinInput = z.input<typeof ZDepartmentJoin>;

/**
 * Leaves one department. Leaving the main department while others remain
 * needs the new main one, named in the same call.
 */
export const ZDepartmentLeave = z
  .strictObject({
    memberId: ZEntityId("Unknown member"),
    departmentId: ZEntityId("Unknown department"),
    newMainDepartmentId: ZEntityId("Choose the new main department").nullish(),
  })
  .refine((input) => input.newMainDepartmentId !== input.departmentId, {
    path: ["newMainDepartmentId"],
    message: "Choose a department the member stays in",
  });
export type TDepartmentLeaveInput = z.input<typeof ZDepartmentLeave>;

/** Makes one of the member's departments their main one. */
export const ZMainDepartmentSet = z.strictObject({ memberId: ZEntityId("Unknown member"), departmentId: ZEntityId("Choose a department") });
export type TMainDepartmentSetInput = z.input<typeof ZMainDepartmentSet>;

/** Marks (`head: true`) or unmarks the member as a head of one of their departments. */
export const ZDepartmentHeadSet = z.strictObject({ memberId: ZEntityId("Unknown member"), departmentId: ZEntityId("Unknown department"), head: z.boolean() });
export type TDepartmentHeadSetInput = z.input<typeof ZDepartmentHeadSet>;
