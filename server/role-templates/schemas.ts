import { z } from "zod";
import { zLine, zText } from "@/server/validation/text";
import { ZEntityId } from "@/server/ids";

// Role templates: a named set of departments, applications, roles and groups
// that pre-fills the onboarding wizard. Shared by the console form and the procedures.

/** A set of ids of one kind: duplicates collapse, the size is bounded. */
export const ZEntityIds = (message: string, max: number) =>
  z
    .array(ZEntityId(message))
    .max(max, `At most ${max} at once`)
    .transform((ids) => [...new Set(ids)]);

export const TEMPLATE_LIMITS = { departments: 50, applications: 200, roles: 200, groups: 200 } as const;

/** The four sets a template (and an onboarding) carries, by form field. */
export const templateItemShape = {
  departmentIds: ZEntityIds("Unknown department", TEMPLATE_LIMITS.departments),
  applicationIds: ZEntityIds("Unknown application", TEMPLATE_LIMITS.applications),
  roleIds: ZEntityIds("Unknown role", TEMPLATE_LIMITS.roles),
  groupIds: ZEntityIds("Unknown group", TEMPLATE_LIMITS.groups),
};

const templateFields = {
  name: zLine().min(1, "Enter a name").max(100, "At most 100 characters"),
  description: zText()
    .max(500, "At most 500 characters")
    .transform((value) => (value === "" ? null : value))
    .nullish(),
  ...templateItemShape,
};

export const ZRoleTemplateCreate = z.strictObject(templateFields);
export const ZRoleTemplateUpdate = z.strictObject({ templateId: ZEntityId("Unknown template"), ...templateFields });
export const ZRoleTemplateId = z.strictObject({ templateId: ZEntityId("Unknown template") });

export type TRoleTemplateCreateInput = z.input<typeof ZRoleTemplateCreate>;
export type TRoleTemplateUpdateInput = z.input<typeof ZRoleTemplateUpdate>;
