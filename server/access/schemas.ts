import { z } from "zod";
import { zLine, zText } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";

export const ACCESS_KINDS = ["role", "group", "application", "policy"] as const;
export const ZAccessKind = z.enum(ACCESS_KINDS);
export type TAccessKind = z.infer<typeof ZAccessKind>;

/** "resource:action", lowercase, e.g. "members:read"; either side may be "*" ("reports:*", "*:read", "*:*"). */
export const ZPermission = zLine()
  .toLowerCase()
  .max(100, "At most 100 characters")
  .regex(/^([a-z0-9_.-]+|\*):([a-z0-9_.-]+|\*)$/, "Write it as resource:action, e.g. members:read or reports:*");

/** A permission asked about (can(), "who has X"): the same form as a policy's. */
export const ZPermissionQuery = ZPermission;

const itemFields = {
  name: zLine().min(1, "Enter a name").max(100, "At most 100 characters"),
  description: zText()
    .max(200, "At most 200 characters")
    .transform((value) => (value === "" ? null : value))
    .nullish(),
  permission: ZPermission.optional(),
};

function permissionOnlyForPolicies(input: { kind: TAccessKind; permission?: string }, context: z.RefinementCtx) {
  if (input.kind === "policy" && !input.permission) context.addIssue({ code: "custom", path: ["permission"], message: "Enter the permission" });
  if (input.kind !== "policy" && input.permission) context.addIssue({ code: "custom", path: ["permission"], message: "Only policies carry a permission" });
}

export const ZAccessItemCreate = z.strictObject({ kind: ZAccessKind, ...itemFields }).superRefine(permissionOnlyForPolicies);
export const ZAccessItemUpdate = z
  .strictObject({ kind: ZAccessKind, itemId: ZEntityId("Not found"), ...itemFields })
  .superRefine(permissionOnlyForPolicies);
export const ZAccessItemRef = z.strictObject({ kind: ZAccessKind, itemId: ZEntityId("Not found") });
export const ZAccessKindInput = z.strictObject({ kind: ZAccessKind });

/** Grants one catalogue item to members (bulk from the list, or one from the member page). */
export const ZAccessGrant = z.strictObject({
  kind: ZAccessKind,
  itemId: ZEntityId("Not found"),
  memberIds: z.array(ZEntityId("Unknown member")).min(1, "Select at least one member").max(1000, "At most 1,000 members at once"),
});
export const ZAccessRevoke = z.strictObject({ kind: ZAccessKind, itemId: ZEntityId("Not found"), memberId: ZEntityId("Unknown member") });
export const ZRolePolicies = z.strictObject({ roleId: ZEntityId("Not found"), policyIds: z.array(ZEntityId("Not found")).max(500) });
export const ZMemberAccessInput = z.strictObject({ memberId: ZEntityId("Unknown member") });
export const ZCanInput = z.strictObject({ memberId: ZEntityId("Unknown member"), permission: ZPermissionQuery });
/** "Who has X": a permission (wildcards as in can()), or one role or application. A plain object: infinite queries add their own field (direction), which is dropped. */
export const ZWhoHasInput = z.object({
  subject: z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("permission"), permission: ZPermissionQuery }),
    z.strictObject({ kind: z.literal("role"), itemId: ZEntityId("Not found") }),
    z.strictObject({ kind: z.literal("application"), itemId: ZEntityId("Not found") }),
  ]),
  cursor: ZEntityId("Invalid cursor").nullish(),
  limit: z.number().int().min(1).max(100).default(50),
});
export const ZWhyInput = z.strictObject({ memberId: ZEntityId("Unknown member"), permission: ZPermissionQuery });

export type TAccessItemCreateInput = z.input<typeof ZAccessItemCreate>;
export type TAccessItemUpdateInput = z.input<typeof ZAccessItemUpdate>;
export type TAccessGrantInput = z.input<typeof ZAccessGrant>;
