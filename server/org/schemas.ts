import { z } from "zod";
import { ZEntityId } from "@/server/ids";

const ZId = ZEntityId;

export const ZDepartmentName = z
  .string()
  .trim()
  .min(1, "Enter a name")
  .max(100, "At most 100 characters")
  .refine((name) => name.toLowerCase() !== "departed", "“Departed” is the system department's name");

export const ZDepartmentCreate = z.strictObject({ name: ZDepartmentName, parentId: ZId("Unknown department").nullish() });
export const ZDepartmentRename = z.strictObject({ departmentId: ZId("Unknown department"), name: ZDepartmentName });
export const ZDepartmentMove = z.strictObject({ departmentId: ZId("Unknown department"), newParentId: ZId("Unknown department").nullable() });
export const ZDepartmentId = z.strictObject({ departmentId: ZId("Unknown department") });

/** Moves a member out of one department into another, in one step that records both. */
export const ZMemberTransfer = z
  .strictObject({
    memberId: ZId("Unknown member"),
    fromDepartmentId: ZId("Unknown department").nullable(),
    toDepartmentId: ZId("Unknown department"),
  })
  .refine((input) => input.fromDepartmentId !== input.toDepartmentId, { path: ["toDepartmentId"], message: "Choose another department" });

export type TDepartmentCreateInput = z.input<typeof ZDepartmentCreate>;
export type TMemberTransferInput = z.input<typeof ZMemberTransfer>;

/** Bulk transfer from the member list: each selected member leaves every department and joins one. */
export const ZMembersTransfer = z.strictObject({
  memberIds: z.array(ZId("Unknown member")).min(1, "Select at least one member").max(1000, "At most 1,000 members at once"),
  toDepartmentId: ZId("Unknown department"),
});
export type TMembersTransferInput = z.input<typeof ZMembersTransfer>;
