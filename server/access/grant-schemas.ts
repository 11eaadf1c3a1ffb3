import { z } from "zod";
import { ZEntityId } from "@/server/ids";

// Changes to what a department or a group is granted (issue 12). One schema
// per change kind, gathered in one union: the preview query and the apply
// mutation take the same input, so the dialog confirms exactly what it showed.

export const INHERITABLE_KINDS = ["role", "application"] as const;
export const ZInheritableKind = z.enum(INHERITABLE_KINDS);
export type TInheritableKind = z.infer<typeof ZInheritableKind>;

const departmentItem = {
  departmentId: ZEntityId("Department not found"),
  kind: ZInheritableKind,
  itemId: ZEntityId("Not found"),
};
const groupItem = {
  groupId: ZEntityId("Group not found"),
  kind: ZInheritableKind,
  itemId: ZEntityId("Not found"),
};

export const ZGrantToDepartment = z.strictObject({ change: z.literal("grantToDepartment"), ...departmentItem, subtree: z.boolean() });
export const ZSetDepartmentGrantScope = z.strictObject({ change: z.literal("setDepartmentGrantScope"), ...departmentItem, subtree: z.boolean() });
export const ZRevokeFromDepartment = z.strictObject({ change: z.literal("revokeFromDepartment"), ...departmentItem });
export const ZGrantToGroup = z.strictObject({ change: z.literal("grantToGroup"), ...groupItem });
export const ZRevokeFromGroup = z.strictObject({ change: z.literal("revokeFromGroup"), ...groupItem });

export const ZGrantChange = z.discriminatedUnion("change", [ZGrantToDepartment, ZSetDepartmentGrantScope, ZRevokeFromDepartment, ZGrantToGroup, ZRevokeFromGroup]);
export type TGrantChange = z.infer<typeof ZGrantChange>;
export type TGrantChangeInput = z.input<typeof ZGrantChange>;

export const ZDepartmentGrantsInput = z.strictObject({ departmentId: ZEntityId("Department not found") });
export const ZGroupGrantsInput = z.strictObject({ groupId: ZEntityId("Group not found") });

export type TGrantToDepartment = z.infer<typeof ZGrantToDepartment>;
export type TSetDepartmentGrantScope = z.infer<typeof ZSetDepartmentGrantScope>;
export type TRevokeFromDepartment = z.infer<typeof ZRevokeFromDepartment>;
export type TGrantToGroup = z.infer<typeof ZGrantToGroup>;
export type TRevokeFromGroup = z.infer<typeof ZRevokeFromGroup>;
