import type { TDatabase, TTransaction } from "@/server/db/client";
import { diffFields, recordAuditEvent, type TChanges } from "@/server/audit/record-audit-event";
import { type TActor } from "@/server/shared/actor";
import { ConflictError, violatedUniqueIndex } from "@/server/errors";
import { getRoleTemplate, type TRoleTemplate } from "@/server/role-templates/list-role-templates";
import {
  ZRoleTemplateCreate,
  ZRoleTemplateId,
  ZRoleTemplateUpdate,
  type TRoleTemplateCreateInput,
  type TRoleTemplateUpdateInput,
} from "@/server/role-templates/schemas";
import { linkTemplateItems, TEMPLATE_ITEM_KINDS, unlinkTemplateItems, type TItemReference, type TTemplateItems } from "@/server/role-templates/template-items";
import type { z } from "zod";

const NAME_TAKEN = "A template with this name exists";

/** The name index (role_templates_tenant_name_key, on lower(name)) refused it: a field error. */
function asTemplateConflict(error: unknown): unknown {
  if (violatedUniqueIndex(error) === null) return error;
  return new ConflictError(NAME_TAKEN, { name: [NAME_TAKEN] });
}

type TTemplateSets = Pick<z.output<typeof ZRoleTemplateCreate>, "departmentIds" | "applicationIds" | "roleIds" | "groupIds">;

const idsOf = (input: TTemplateSets): Record<(typeof TEMPLATE_ITEM_KINDS)[number], string[]> => ({
  departments: input.departmentIds,
  applications: input.applicationIds,
  roles: input.roleIds,
  groups: input.groupIds,
});

async function linkAll(tx: TTransaction, tenantId: bigint, templateId: bigint, input: TTemplateSets): Promise<TTemplateItems> {
  const ids = idsOf(input);
  const items = {} as TTemplateItems;
  for (const kind of TEMPLATE_ITEM_KINDS) items[kind] = await linkTemplateItems(tx, tenantId, templateId, kind, ids[kind]);
  return items;
}

const names = (items: TItemReference[]) => items.map((item) => item.name);

/** Sets that changed, by name, for the audit event. */
function itemChanges(before: TTemplateItems | null, after: TTemplateItems): TChanges {
  const changes: TChanges = {};
  for (const kind of TEMPLATE_ITEM_KINDS) {
    const previous = before ? names(before[kind]) : [];
    const next = names(after[kind]);
    if (before === null ? next.length > 0 : previous.join("\u0000") !== next.join("\u0000")) changes[kind] = { before: before ? previous : null, after: next };
  }
  return changes;
}

export async function createRoleTemplate(db: TDatabase, actor: TActor, rawInput: TRoleTemplateCreateInput): Promise<TRoleTemplate> {
  const input = ZRoleTemplateCreate.parse(rawInput);
  try {
    return await db.$transaction(async (tx) => {
      const template = await tx.roleTemplate.create({
        data: { tenantId: actor.tenantId, name: input.name, description: input.description ?? null },
        select: { id: true, name: true, description: true },
      });
      const items = await linkAll(tx, actor.tenantId, template.id, input);
      await recordAuditEvent(tx, actor, {
        action: "role_template.created",
        targetType: "role_template",
        targetId: template.id,
        changes: {
          name: { before: null, after: template.name },
          ...(template.description ? { description: { before: null, after: template.description } } : {}),
          ...itemChanges(null, items),
        },
      });
      return getRoleTemplate(tx, actor.tenantId, template.id);
    });
  } catch (error) {
    throw asTemplateConflict(error);
  }
}

/** Replaces a template's name, description and its four sets with what the form holds. */
export async function updateRoleTemplate(db: TDatabase, actor: TActor, rawInput: TRoleTemplateUpdateInput): Promise<TRoleTemplate> {
  const input = ZRoleTemplateUpdate.parse(rawInput);
  try {
    return await db.$transaction(async (tx) => {
      const templateId = BigInt(input.templateId);
      // Serialises two admins saving the same template, so each event's "before" is what it replaced.
      await tx.$executeRaw`SELECT 1 FROM role_templates WHERE id = ${templateId} AND tenant_id = ${actor.tenantId} FOR UPDATE`;
      const current = await getRoleTemplate(tx, actor.tenantId, templateId);
      for (const kind of TEMPLATE_ITEM_KINDS) await unlinkTemplateItems(tx, templateId, kind);
      const items = await linkAll(tx, actor.tenantId, templateId, input);
      const next = { name: input.name, description: input.description ?? null };
      await tx.roleTemplate.update({ where: { id: templateId }, data: next });
      const changes = { ...diffFields({ name: current.name, description: current.description }, next), ...itemChanges(current, items) };
      if (Object.keys(changes).length > 0) {
        await recordAuditEvent(tx, actor, { action: "role_template.updated", targetType: "role_template", targetId: templateId, changes });
      }
      return getRoleTemplate(tx, actor.tenantId, templateId);
    });
  } catch (error) {
    throw asTemplateConflict(error);
  }
}

/** Deletes a template; members onboarded with it keep what they were given. */
export async function deleteRoleTemplate(db: TDatabase, actor: TActor, rawInput: z.input<typeof ZRoleTemplateId>): Promise<{ deleted: string }> {
  const input = ZRoleTemplateId.parse(rawInput);
  return db.$transaction(async (tx) => {
    const current = await getRoleTemplate(tx, actor.tenantId, input.templateId);
    await tx.roleTemplate.delete({ where: { id: BigInt(current.id) } });
    await recordAuditEvent(tx, actor, {
      action: "role_template.deleted",
      targetType: "role_template",
      targetId: BigInt(current.id),
      changes: { name: { before: current.name, after: null } },
    });
    return { deleted: current.id };
  });
}
